package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.Reply;
import dev.handoff.localstack.ReplyRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user's Cancel, from {@code POST /api/tasks/{id}/cancel} to the node: the busy agent (its model never
 * answers) is stopped, its whole process tree is gone, its workspace is deleted, and the task ends cancelled with
 * the chat saying so. A task still waiting for its node is cancelled at once.
 */
@ExtendWith(SharedStack.class)
class CancelEndToEndTest {

    /** A node that never connects: the task stays provisioning_node until cancelled. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @SharedStack.Configure(service = "provisioner-service",
        env = "HANDOFF_PROVISIONER_LOCAL_GATEWAY_URL=ws://127.0.0.1:9/nodes/connect")
    class WhileWaitingForTheNode {

        // A user of its own has no warm node: its task needs a new one, which dials a port nobody listens on.
        private final HandoffApi api = new HandoffApi(SharedStack.get().stack().chatUrl());
        private final String repositoryUrl = SharedStack.get().repositoryUrl();

        @Test
        void aTaskWithoutANodeIsCancelledAtOnce() {
            String projectId = api.createProject("early", repositoryUrl);
            JsonNode submitted = api.submitTask(projectId, "Never mind");
            String taskId = submitted.path("taskId").asText();
            await("task provisioning").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.task(taskId).path("status").asText().equals("provisioning_node"));

            assertThat(api.cancelTask(taskId).status()).isEqualTo(202);

            await("task cancelled").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.task(taskId).path("status").asText().equals("cancelled"));
            assertThat(api.task(taskId).path("timeline").findValuesAsText("status"))
                .containsExactly("queued", "provisioning_node", "cancelled");
            await("chat told").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.messages(submitted.path("sessionId").asText()))
                    .extracting(m -> m.path("content").asText())
                    .containsSubsequence("Cancel requested.", "The task was cancelled."));
            assertThat(api.cancelTask(taskId).status()).isEqualTo(409);
        }
    }

    /** A running agent whose model never answers. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WhileTheAgentRuns {

        private final CountDownLatch modelReleased = new CountDownLatch(1);
        private final String marker = "cancel-" + UUID.randomUUID();
        private final HandoffStack stack = SharedStack.get().stack();
        private final HandoffApi api = new HandoffApi(stack.chatUrl());
        private final String repositoryUrl = SharedStack.get().repositoryUrl();
        private ReplyRouter.Route replies;

        @BeforeAll
        void start() {
            // The model never answers this class's prompts (until the class is done).
            replies = SharedStack.get().route(marker, request -> {
                try {
                    modelReleased.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.text("too late");
            });
        }

        @AfterAll
        void stop() {
            replies.close();
            modelReleased.countDown();
        }

        @Test
        void cancellingARunningTaskStopsTheAgentDeletesTheWorkspaceAndEndsTheTaskCancelled() throws IOException {
            String projectId = api.createProject("cancel", repositoryUrl);
            JsonNode submitted = api.submitTask(projectId, "Refactor everything, slowly " + marker);
            String taskId = submitted.path("taskId").asText();
            String sessionId = submitted.path("sessionId").asText();
            await("task running").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.task(taskId).path("status").asText().equals("running"));
            Path workspace = workspaceOf(taskId);
            List<ProcessHandle> agent = AgentProcesses.in(workspace);
            assertThat(agent).as("the agent's processes in " + workspace).isNotEmpty();

            HandoffApi.Answer answer = api.cancelTask(taskId);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
            assertThat(answer.body().path("taskId").asText()).isEqualTo(taskId);
            await("task cancelled").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.task(taskId).path("status").asText().equals("cancelled"));
            JsonNode task = api.task(taskId);
            assertThat(task.path("timeline").findValuesAsText("status"))
                .containsSubsequence("running", "cancelling", "cancelled")
                .doesNotContain("failed");
            await("agent processes gone").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(agent).noneMatch(ProcessHandle::isAlive);
                assertThat(AgentProcesses.in(workspace)).isEmpty();
            });
            await("workspace deleted").atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(workspace));
            await("chat told").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.messages(sessionId)).filteredOn(m -> m.path("role").asText().equals("system"))
                    .extracting(m -> m.path("content").asText())
                    .containsSubsequence("Cancel requested.", "The task was cancelled."));

            HandoffApi.Answer again = api.cancelTask(taskId);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().path("message").asText()).contains("already ended (cancelled)");
        }

        @Test
        void cancellingAnUnknownTaskIsNotFound() {
            HandoffApi.Answer answer = api.cancelTask(UUID.randomUUID().toString());

            assertThat(answer.status()).isEqualTo(404);
        }

        private Path workspaceOf(String taskId) {
            return stack.workspace(api.task(taskId).path("node").path("nodeId").asText(), "ws-" + taskId)
                .toAbsolutePath().normalize();
        }
    }
}
