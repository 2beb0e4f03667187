package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.MessagesRequest;
import dev.handoff.localstack.Reply;
import dev.handoff.localstack.ReplyRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node's life through the public API, with a warm time shortened to 20 seconds: the task's cancel releases its
 * node (warm, no task on it), the same user's next task claims that warm node instead of starting another, and a
 * node left warm past the warm time is deleted (its vm-agent process stopped). GET /api/nodes shows each step,
 * and the task view shows the node and its cost.
 */
@ExtendWith(SharedStack.class)
@SharedStack.Configure(service = "provisioner-service", env = {"HANDOFF_PROVISIONER_POOL_WARM_TIME=PT20S",
    "HANDOFF_PROVISIONER_POOL_SWEEP_INTERVAL=1s"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeLifecycleEndToEndTest {

    private static final String HOLD = "[[hold]]";

    private final CountDownLatch modelReleased = new CountDownLatch(1);
    /** In every prompt of this class, so the shared fake model answers them with {@link #reply}. */
    private final String marker = "nodes-" + UUID.randomUUID();
    private final HandoffStack stack = SharedStack.get().stack();
    /** A user of its own: its nodes are the only ones it sees. */
    private final HandoffApi api = new HandoffApi(stack.chatUrl());
    private final String repositoryUrl = SharedStack.get().repositoryUrl();
    private ReplyRouter.Route replies;

    @BeforeAll
    void routeReplies() {
        replies = SharedStack.get().route(marker, this::reply);
    }

    /** "done", except a prompt marked {@link #HOLD}: its answer waits until the class ends (an agent at work). */
    private Reply reply(MessagesRequest request) {
        if (!request.sideRequest() && request.promptText().contains(HOLD)) {
            try {
                modelReleased.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.text("too late");
        }
        return Reply.text("done");
    }

    @AfterAll
    void stop() {
        replies.close();
        modelReleased.countDown();
    }

    @Test
    void cancelReleasesTheNodeTheNextTaskClaimsItWarmAndAfterTheWarmTimeItIsDeleted() {
        String projectId = api.createProject("nodes", repositoryUrl);
        String first = api.submitTask(projectId, "Say done " + marker).path("taskId").asText();
        awaitStatus(first, "turn_ended");
        String nodeId = api.task(first).path("node").path("nodeId").asText();
        assertThat(nodeId).startsWith("node-");
        JsonNode busy = api.node(nodeId);
        assertThat(busy.path("status").asText()).isEqualTo("connected");
        assertThat(busy.path("health").asText()).isEqualTo("healthy");
        assertThat(busy.path("tasks").asInt()).as("a task whose turn ended keeps its node").isEqualTo(1);
        assertThat(busy.path("warmSince").isNull()).isTrue();

        assertThat(api.cancelTask(first).status()).isEqualTo(202);
        awaitStatus(first, "cancelled");
        await("node released and warm").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .untilAsserted(() -> {
                JsonNode warm = api.node(nodeId);
                assertThat(warm.path("tasks").asInt()).isZero();
                assertThat(warm.path("warmSince").isTextual()).isTrue();
                assertThat(warm.path("warmUntil").isTextual()).isTrue();
            });
        JsonNode firstTask = api.task(first);
        assertThat(firstTask.path("node").path("releasedAt").isTextual()).isTrue();
        assertThat(firstTask.path("node").path("provider").asText()).isEqualTo("local");
        assertThat(firstTask.path("node").path("cost").decimalValue()).isZero();

        String second = api.submitTask(projectId, "Say done again " + marker).path("taskId").asText();
        awaitStatus(second, "turn_ended");
        assertThat(api.task(second).path("node").path("nodeId").asText()).as("the warm node is claimed")
            .isEqualTo(nodeId);
        assertThat(api.nodes()).as("no second node started")
            .filteredOn(n -> !n.path("status").asText().equals("deleted")).hasSize(1);
        long vmAgentPid = vmAgentPid(nodeId);

        assertThat(api.cancelTask(second).status()).isEqualTo(202);
        awaitStatus(second, "cancelled");
        await("warm node deleted after the warm time").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> api.node(nodeId).path("status").asText().equals("deleted"));
        JsonNode deleted = api.node(nodeId);
        assertThat(deleted.path("deleteReason").asText()).contains("warm for PT20S without a task");
        assertThat(deleted.path("health").isNull()).isTrue();
        await("vm-agent process stopped").atMost(Duration.ofSeconds(20))
            .until(() -> ProcessHandle.of(vmAgentPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aUserDeletesANodeThroughTheApi() {
        String projectId = api.createProject("delete", repositoryUrl);
        String task = api.submitTask(projectId, "Say done " + marker).path("taskId").asText();
        awaitStatus(task, "turn_ended");
        String nodeId = api.task(task).path("node").path("nodeId").asText();

        HandoffApi.Answer answer = api.deleteNode(nodeId);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("deleted");
        assertThat(answer.body().path("deleteReason").asText()).isEqualTo("deleted by its owner");
        assertThat(api.deleteNode("node-unknown").status()).isEqualTo(404);

        awaitStatus(task, "completed");
        JsonNode completed = api.task(task);
        assertThat(completed.path("timeline").findValuesAsText("status")).containsSubsequence("turn_ended", "completed");
        String sessionId = completed.path("sessionId").asText();
        assertThat(api.messages(sessionId)).as("the chat says why the conversation is over")
            .anySatisfy(m -> assertThat(m.path("content").asText())
                .startsWith("The task is over: the node " + nodeId + " was deleted (deleted by its owner)")
                .contains("the conversation has ended"));
        HandoffApi.Answer followUp = api.sendFollowUp(sessionId, "One more thing");
        assertThat(followUp.status()).as(followUp.toString()).isEqualTo(409);
    }

    @Test
    void aNodeDeletedUnderAWorkingAgentFailsItsTaskAtOnceWithTheReason() {
        String projectId = api.createProject("delete-busy", repositoryUrl);
        JsonNode submitted = api.submitTask(projectId, HOLD + " Refactor everything " + marker);
        String task = submitted.path("taskId").asText();
        awaitStatus(task, "running");
        String nodeId = api.task(task).path("node").path("nodeId").asText();
        assertThat(api.node(nodeId).path("tasks").asInt()).isEqualTo(1);

        assertThat(api.deleteNode(nodeId).status()).isEqualTo(200);

        // The stall deadlines are minutes long here; the node's loss ends the task well before any of them.
        awaitStatus(task, "failed");
        JsonNode failed = api.task(task);
        assertThat(failed.path("failureReason").asText())
            .isEqualTo("the node " + nodeId + " was deleted (deleted by its owner)");
        assertThat(api.messages(submitted.path("sessionId").asText()))
            .anySatisfy(m -> assertThat(m.path("content").asText())
                .isEqualTo("The task failed: the node " + nodeId + " was deleted (deleted by its owner)"));
    }

    private void awaitStatus(String taskId, String status) {
        await("task " + status).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(taskId).path("status").asText().equals(status));
    }

    /** The vm-agent process running in the node's folder. */
    private long vmAgentPid(String nodeId) {
        Path nodeDir = stack.nodesDir().resolve(nodeId);
        return ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains("vm-agent.jar")).orElse(false))
            .filter(p -> {
                try {
                    return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).startsWith(nodeDir);
                } catch (Exception e) {
                    return false;
                }
            })
            .findFirst().orElseThrow(() -> new AssertionError("no vm-agent process in " + nodeDir)).pid();
    }
}
