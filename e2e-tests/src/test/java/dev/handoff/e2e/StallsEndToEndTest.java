package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.Reply;
import dev.handoff.localstack.ReplyRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No task stays "running" silently: each way a task can stall ends, within its (shortened) deadline, in a failed
 * or stalled state whose reason the user can read in the task's timeline and in the chat.
 */
@ExtendWith(SharedStack.class)
class StallsEndToEndTest {

    /** Waits until the task is failed, and returns it. */
    private static JsonNode awaitFailed(HandoffApi api, String taskId) {
        await("task " + taskId + " failed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
            .until(() -> api.task(taskId).path("status").asText().equals("failed"));
        return api.task(taskId);
    }

    private static void assertTheUserIsTold(HandoffApi api, JsonNode task, String reason) {
        assertThat(task.path("failureReason").asText()).isEqualTo(reason);
        List<JsonNode> timeline = new ArrayList<>();
        task.path("timeline").forEach(timeline::add);
        JsonNode last = timeline.get(timeline.size() - 1);
        assertThat(last.path("status").asText()).isEqualTo("failed");
        assertThat(last.path("detail").asText()).isEqualTo(reason);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.messages(
                task.path("sessionId").asText()))
            .anySatisfy(m -> {
                assertThat(m.path("role").asText()).isEqualTo("system");
                assertThat(m.path("content").asText()).isEqualTo("The task failed: " + reason);
            }));
    }

    /** A conversation nobody follows up: after its idle time it is over, its agent stopped, its node released. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @SharedStack.Configure(service = "orchestrator-service", env = "HANDOFF_DEADLINES_CONVERSATION_IDLE=PT6S")
    class IdleConversation {

        private final String marker = "idle-" + UUID.randomUUID();
        private final HandoffStack stack = SharedStack.get().stack();
        private final HandoffApi api = new HandoffApi(stack.chatUrl());
        private final String repositoryUrl = SharedStack.get().repositoryUrl();
        private ReplyRouter.Route replies;

        @BeforeAll
        void routeReplies() {
            replies = SharedStack.get().route(marker, request -> Reply.text("done"));
        }

        @AfterAll
        void stop() {
            replies.close();
        }

        @Test
        void anIdleConversationIsCompletedItsAgentStoppedAndItsNodeReleased() throws IOException {
            String projectId = api.createProject("idle", repositoryUrl);
            JsonNode submitted = api.submitTask(projectId, "Say done " + marker);
            String taskId = submitted.path("taskId").asText();
            await("turn ended").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));
            String nodeId = api.task(taskId).path("node").path("nodeId").asText();
            Path workspace = stack.nodesDir().resolve(nodeId).resolve("workspaces").resolve("ws-" + taskId)
                .toAbsolutePath().normalize();
            List<ProcessHandle> agent = AgentProcesses.in(workspace);
            assertThat(agent).as("the agent waits for a follow-up in " + workspace).isNotEmpty();

            await("conversation completed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.task(taskId).path("status").asText().equals("completed"));

            JsonNode task = api.task(taskId);
            assertThat(task.path("timeline").findValuesAsText("status")).containsSubsequence("turn_ended", "completed");
            assertThat(api.messages(submitted.path("sessionId").asText()))
                .anySatisfy(m -> assertThat(m.path("content").asText()).isEqualTo("The task is over: the "
                    + "conversation had no follow-up for 6 seconds; its agent was stopped and its node released "
                    + "(start a new task to go on)."));
            await("the idle agent stopped").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(agent).noneMatch(ProcessHandle::isAlive);
                assertThat(AgentProcesses.in(workspace)).isEmpty();
            });
            await("node released, warm").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode node = api.node(nodeId);
                    assertThat(node.path("tasks").asInt()).isZero();
                    assertThat(node.path("warmSince").isTextual()).isTrue();
                });
            assertThat(Files.isDirectory(workspace)).as("the workspace is kept").isTrue();
            assertThat(api.sendFollowUp(submitted.path("sessionId").asText(), "More").status()).isEqualTo(409);
        }
    }

    /** A node whose vm-agent can never reach the gateway. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @SharedStack.Configure(service = "provisioner-service",
        env = "HANDOFF_PROVISIONER_LOCAL_GATEWAY_URL=ws://127.0.0.1:9/nodes/connect")
    @SharedStack.Configure(service = "orchestrator-service", env = "HANDOFF_DEADLINES_NODE=PT5S")
    class NodeNeverConnects {

        // A user of its own has no warm node: the task needs a new one, and that one dials a port nobody listens on.
        private final HandoffApi api = new HandoffApi(SharedStack.get().stack().chatUrl());
        private final String repositoryUrl = SharedStack.get().repositoryUrl();

        @Test
        void theTaskFailsSayingTheNodeDidNotConnect() {
            String projectId = api.createProject("lost", repositoryUrl);
            String taskId = api.submitTask(projectId, "Fix the login timeout").path("taskId").asText();

            JsonNode task = awaitFailed(api, taskId);

            assertTheUserIsTold(api, task, "the node did not connect within 5 seconds");
            assertThat(task.path("timeline").findValuesAsText("status"))
                .containsExactly("queued", "provisioning_node", "failed");
        }
    }

    /** An agent whose model never answers, a clone that never finishes, an agent that dies. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @SharedStack.Configure(service = "orchestrator-service", env = {"HANDOFF_DEADLINES_WORKSPACE=PT4S",
        "HANDOFF_DEADLINES_FIRST_OUTPUT=PT8S", "HANDOFF_DEADLINES_STALL_NOTICE=PT3S",
        "HANDOFF_DEADLINES_STALL_LIMIT=PT8S"})
    class SilentAgentsAndStuckClones {

        private final CountDownLatch modelReleased = new CountDownLatch(1);
        private final String marker = "silent-" + UUID.randomUUID();
        private final HandoffStack stack = SharedStack.get().stack();
        private final HandoffApi api = new HandoffApi(stack.chatUrl());
        private final String repositoryUrl = SharedStack.get().repositoryUrl();
        private ReplyRouter.Route replies;
        private ServerSocket silentGitServer;
        private final List<Socket> heldConnections = new ArrayList<>();

        @BeforeAll
        void start() throws Exception {
            // The model never answers this class's prompts (until the class is done).
            replies = SharedStack.get().route(marker, request -> {
                try {
                    modelReleased.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.text("too late");
            });
            silentGitServer = new ServerSocket(0);
            Thread acceptor = new Thread(() -> {
                while (!silentGitServer.isClosed()) {
                    try {
                        heldConnections.add(silentGitServer.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-git-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @AfterAll
        void stop() throws IOException {
            replies.close();
            modelReleased.countDown();
            silentGitServer.close();
            for (Socket socket : heldConnections) {
                socket.close();
            }
        }

        @Test
        void anAgentThatNeverAnswersIsShownStalledThenFailsAndIsStopped() throws IOException {
            String projectId = api.createProject("silent", repositoryUrl);
            String taskId = api.submitTask(projectId, "Think forever " + marker).path("taskId").asText();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.task(taskId).path("status").asText().equals("running"));
            Path workspace = stack.workspace(api.task(taskId).path("node").path("nodeId").asText(), "ws-" + taskId)
                .toAbsolutePath().normalize();
            List<ProcessHandle> agent = AgentProcesses.in(workspace);
            assertThat(agent).as("the agent's processes in " + workspace).isNotEmpty();

            JsonNode task = awaitFailed(api, taskId);

            await("the silent agent's processes gone").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(agent).noneMatch(ProcessHandle::isAlive);
                assertThat(AgentProcesses.in(workspace)).isEmpty();
            });

            assertThat(task.path("timeline").findValuesAsText("status"))
                .containsSubsequence("running", "stalled", "failed");
            assertTheUserIsTold(api, task, "the agent produced no output for 8 seconds");
            assertThat(api.messages(task.path("sessionId").asText()))
                .anySatisfy(m -> assertThat(m.path("content").asText())
                    .isEqualTo("Stalled: the agent has produced no output for 3 seconds. Handoff keeps waiting for it."));
        }

        @Test
        void aCloneThatHangsFailsSayingTheWorkspaceWasNotReady() {
            String projectId = api.createProject("stuck",
                "http://127.0.0.1:" + silentGitServer.getLocalPort() + "/stuck.git");
            String taskId = api.submitTask(projectId, "Fix it " + marker).path("taskId").asText();

            JsonNode task = awaitFailed(api, taskId);

            assertTheUserIsTold(api, task, "the workspace was not ready within 4 seconds");
        }

        @Test
        void anAgentThatDiesMidTurnFailsTheTaskWithItsExit() throws Exception {
            String projectId = api.createProject("dies", repositoryUrl);
            String taskId = api.submitTask(projectId, "Crash please " + marker).path("taskId").asText();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.task(taskId).path("status").asText().equals("running"));

            Path workspace = stack.workspace(api.task(taskId).path("node").path("nodeId").asText(), "ws-" + taskId);
            List<ProcessHandle> agent = ProcessHandle.allProcesses()
                .filter(p -> workspace.equals(cwd(p))).toList();
            assertThat(agent).as("the agent's processes in " + workspace).isNotEmpty();
            agent.forEach(p -> ManagedProcess.sendSignal(p.pid(), "KILL"));

            JsonNode task = awaitFailed(api, taskId);

            assertThat(task.path("failureReason").asText()).contains("exit");
            assertThat(task.path("timeline").findValuesAsText("status")).containsSubsequence("running", "failed");
        }

        private static Path cwd(ProcessHandle process) {
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
    }
}
