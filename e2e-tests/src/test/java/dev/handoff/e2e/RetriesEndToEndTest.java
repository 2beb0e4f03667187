package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalGitHttpServer;
import dev.handoff.localstack.LocalGitRepository;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.Reply;
import dev.handoff.localstack.ReplyRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A step that fails for a transient reason is tried again after a backoff, visibly; a permanent failure fails the
 * task at once. The git server is a real one ({@code git http-backend} over HTTP) that answers 503 while it is
 * "down"; the vm-agent classifies git's error, the orchestrator retries the clone, the user sees it in the
 * timeline and the chat.
 */
@ExtendWith(SharedStack.class)
@SharedStack.Configure(service = "orchestrator-service", env = {"HANDOFF_RETRIES_BASE_DELAY=PT2S",
    "HANDOFF_RETRIES_JITTER=0"})
class RetriesEndToEndTest {

    private static final String ANSWER = "The clone worked on the second try.";
    /** This class's prompts carry it, so the shared fake model answers them with {@link #ANSWER}. */
    private static final String MARKER = "retries-" + UUID.randomUUID();
    private static final String TASK = "Fix the login timeout " + MARKER;

    private static HandoffStack stack;
    private static HandoffApi api;
    private static LocalGitHttpServer git;
    private static ReplyRouter.Route replies;

    @BeforeAll
    static void start() throws Exception {
        Path work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve("retries-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
        LocalGitRepository.bareRepositoryWithProject(work.resolve("git"));
        LocalGitRepository.bareRepositoryWithProject(work.resolve("git").resolve("other"));
        git = LocalGitHttpServer.withoutToken(work.resolve("git"));
        stack = SharedStack.get().stack();
        replies = SharedStack.get().route(MARKER, request -> Reply.text(ANSWER));
        api = new HandoffApi(stack.chatUrl());
    }

    @AfterAll
    static void stop() {
        if (replies != null) {
            replies.close();
        }
        if (git != null) {
            git.close();
        }
    }

    @Test
    void aCloneThatFailsWhileTheGitServerIsDownIsRetriedAndTheTaskReachesTheAgent() {
        String projectId = api.createProject("flaky-git", git.url("app.git"));
        git.failNextRequests(1, 503);

        JsonNode accepted = api.submitTask(projectId, TASK);
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
            .until(() -> {
                String status = api.task(taskId).path("status").asText();
                assertThat(status).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
                return status.equals("turn_ended");
            });

        String retryNotice = "retrying in 2 seconds (attempt 2 of 3)";
        JsonNode task = api.task(taskId);
        List<JsonNode> timeline = new ArrayList<>();
        task.path("timeline").forEach(timeline::add);
        assertThat(timeline).extracting(step -> step.path("status").asText()).containsExactly("queued",
            "provisioning_node", "creating_workspace", "creating_workspace", "creating_workspace", "starting_agent",
            "running", "turn_ended");
        assertThat(timeline.get(3).path("event").asText()).isEqualTo("WorkspaceFailed");
        assertThat(timeline.get(3).path("detail").asText())
            .startsWith("git clone failed: the repository host answered with an error")
            .endsWith(retryNotice);
        assertThat(timeline.get(4).path("event").asText()).isEqualTo("Retry");
        assertThat(timeline.get(4).path("detail").asText()).isEqualTo("trying again (attempt 2 of 3)");

        List<JsonNode> messages = api.messages(sessionId);
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("system");
            assertThat(m.path("content").asText()).startsWith("git clone failed").endsWith(retryNotice);
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.messages(sessionId))
            .anySatisfy(m -> {
                assertThat(m.path("role").asText()).isEqualTo("assistant");
                assertThat(m.path("content").asText()).contains(ANSWER);
            }));
        assertThat(git.requests()).filteredOn(r -> r.startsWith("GET /app.git/info/refs")).hasSize(2);
    }

    @Test
    void aRetryScheduledBeforeTheOrchestratorDiesIsSentAfterItsRestart() {
        String projectId = api.createProject("flaky-git-crash", git.url("other/app.git"));
        git.failNextRequests(1, 503);
        ManagedProcess orchestrator = stack.service("orchestrator-service");
        HandoffApi saga = HandoffApi.withToken(stack.serviceUrl("orchestrator-service"), stack.internalToken());

        JsonNode accepted = api.submitTask(projectId, TASK);
        String taskId = accepted.path("taskId").asText();
        // The clone failed and its retry is due (persisted): the orchestrator dies before it sends it.
        await("retry scheduled").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
            .until(() -> saga.get("/api/saga/tasks/" + taskId).body().path("retryAt").isTextual());
        orchestrator.crash();
        assertThat(git.requests()).filteredOn(r -> r.startsWith("GET /other/app.git/info/refs")).hasSize(1);
        orchestrator.restart();
        orchestrator.waitForHttp(stack.serviceUrl("orchestrator-service") + "/q/health/ready", Duration.ofMinutes(2));

        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
            .until(() -> {
                String status = api.task(taskId).path("status").asText();
                assertThat(status).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
                return status.equals("turn_ended");
            });
        assertThat(api.task(taskId).path("timeline").findValuesAsText("event")).containsSubsequence(
            "WorkspaceFailed", "Retry", "WorkspaceReady");
        assertThat(git.requests()).filteredOn(r -> r.startsWith("GET /other/app.git/info/refs")).hasSize(2);
    }

    @Test
    void aRepositoryThatDoesNotExistFailsAtOnceWithoutARetry() {
        String projectId = api.createProject("no-repo", git.url("nope.git"));

        JsonNode accepted = api.submitTask(projectId, TASK);
        String taskId = accepted.path("taskId").asText();

        await("task " + taskId + " failed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
            .until(() -> api.task(taskId).path("status").asText().equals("failed"));
        JsonNode task = api.task(taskId);

        assertThat(task.path("failureReason").asText())
            .startsWith("git clone failed: the repository or its branch 'main' was not found")
            .doesNotContain("retrying");
        assertThat(task.path("timeline").findValuesAsText("status")).containsExactly("queued", "provisioning_node",
            "creating_workspace", "failed");
        assertThat(git.requests()).filteredOn(r -> r.startsWith("GET /nope.git/info/refs")).hasSize(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.messages(
                accepted.path("sessionId").asText()))
            .anySatisfy(m -> assertThat(m.path("content").asText())
                .isEqualTo("The task failed: " + task.path("failureReason").asText())));
    }

    /**
     * The gateway cannot get a task's secrets from chat-service (here: its secrets URL names a closed port). The
     * command does not go to the node without them (a private clone would fail with a misleading git error): the
     * step fails for that reason, is retried visibly, and the task ends saying why.
     */
    @Nested
    @SharedStack.Configure(service = "vm-agent-gateway", env = "HANDOFF_GATEWAY_SECRETS_URL=http://127.0.0.1:9")
    class SecretsUnavailable {

        @Test
        void aCommandWhoseSecretsCannotBeFetchedIsNotSentAndTheTaskSaysWhy() {
            String projectId = api.createProject("no-secrets", git.url("app.git"));

            JsonNode accepted = api.submitTask(projectId, TASK);
            String taskId = accepted.path("taskId").asText();

            await("task " + taskId + " failed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String status = api.task(taskId).path("status").asText();
                    assertThat(status).as(() -> "the task ran without its secrets: " + api.task(taskId))
                        .isNotIn("running", "turn_ended");
                    return status.equals("failed");
                });
            JsonNode task = api.task(taskId);
            String cause = "Handoff could not fetch the task's secrets (git token, API key) from chat-service: "
                + "chat-service did not answer";
            assertThat(task.path("failureReason").asText()).startsWith(cause);
            List<JsonNode> failures = new ArrayList<>();
            task.path("timeline").forEach(step -> {
                if (step.path("event").asText().equals("WorkspaceFailed")) {
                    failures.add(step);
                }
            });
            assertThat(failures).hasSize(3).allSatisfy(step -> assertThat(step.path("detail").asText())
                .startsWith(cause));
            assertThat(failures.get(0).path("detail").asText()).endsWith("retrying in 2 seconds (attempt 2 of 3)");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.messages(
                    accepted.path("sessionId").asText()))
                .anySatisfy(m -> assertThat(m.path("content").asText()).startsWith("The task failed: " + cause)));
        }
    }
}
