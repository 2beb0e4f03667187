package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.Reply;
import dev.handoff.localstack.ReplyRouter;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node survives a restart of its vm-agent: the vm-agent is killed with SIGKILL (no chance to clean up) and started
 * again exactly as the local provider started it (same command, environment and folder). It rejoins the gateway with
 * the reconnect secret it keeps in its folder, kills the agent processes that outlived it, and reports the turn that
 * was under way failed; a task whose turn had ended takes a follow-up (the agent is started again and loads its
 * session). The secret the node held before it rejoined no longer admits anyone. On the {@link BreakableStack}: the
 * node the class restarted is deleted after it.
 */
@ExtendWith(BreakableStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class VmAgentRestartEndToEndTest {

    private static final Duration TURN = Duration.ofMinutes(3);
    /** A task text with this marker makes the fake model hold its answer until the class ends. */
    private final String hold = "HOLD-THE-ANSWER-" + UUID.randomUUID();

    private final CountDownLatch heldAnswers = new CountDownLatch(1);
    private final ScriptedReplies replies = new ScriptedReplies();
    private final List<Process> restarted = new ArrayList<>();
    private final HandoffStack stack = BreakableStack.get().stack();
    private ReplyRouter.Route held;
    private HandoffApi api;
    private String projectId;
    /** The node this class's first task brought up; every task of the class runs on it. */
    private String nodeId;

    @BeforeAll
    void signUp() {
        held = BreakableStack.get().route(hold, request -> {
            try {
                heldAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.text("too late");
        });
        api = new HandoffApi(stack.chatUrl());
        projectId = api.createProject("rejoin", BreakableStack.get().repositoryUrl());
    }

    /**
     * The vm-agents this class started are killed and the class's node deleted, so the breakable stack keeps no node
     * only this class could mend.
     */
    @AfterAll
    void stop() {
        heldAnswers.countDown();
        if (held != null) {
            held.close();
        }
        for (Process process : restarted) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (nodeId != null) {
            assertThat(api.deleteNode(nodeId).status()).isEqualTo(200);
        }
    }

    @Test
    void aTaskMidTurnFailsSayingTheAgentRestartedAndTheNodeTakesTheNextTask() throws Exception {
        JsonNode accepted = api.submitTask(projectId, "Think about it " + hold + " " + UUID.randomUUID());
        String taskId = accepted.path("taskId").asText();
        await("task running").atMost(TURN).pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(taskId).path("status").asText().equals("running"));
        Path nodeDir = nodeOf(taskId);
        Path workspace = nodeDir.resolve("workspaces").resolve("ws-" + taskId).toAbsolutePath().normalize();
        List<ProcessHandle> agent = AgentProcesses.in(workspace);
        assertThat(agent).as("the agent's processes in " + workspace).isNotEmpty();
        Path credentials = nodeDir.resolve("node-credentials.json");
        assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String secretBeforeRestart = Json.MAPPER.readTree(credentials.toFile()).path("reconnectSecret").asText();

        killAndStartAgain(nodeDir);

        await("task failed").atMost(TURN).pollInterval(Duration.ofMillis(300))
            .until(() -> api.task(taskId).path("status").asText().equals("failed"));
        JsonNode task = api.task(taskId);
        assertThat(task.path("failureReason").asText()).contains("the node's agent restarted during the turn");
        assertThat(api.messages(accepted.path("sessionId").asText())).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("system");
            assertThat(m.path("content").asText()).contains("the node's agent restarted during the turn");
        });
        await("no agent process left").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(agent).noneMatch(ProcessHandle::isAlive);
            assertThat(AgentProcesses.in(workspace)).isEmpty();
        });
        await("node healthy again").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            JsonNode node = api.node(nodeId);
            assertThat(node.path("status").asText()).isEqualTo("connected");
            assertThat(node.path("health").asText()).isEqualTo("healthy");
        });
        assertThat(hello(new NodeMessage.Hello(nodeId, null, secretBeforeRestart, "intruder", "0")))
            .as("the secret from before the rejoin").isEqualTo(new NodeMessage.Refused("wrong reconnect secret"));
        assertThat(Files.readString(nodeDir.resolve("vm-agent.log"))).doesNotContain(secretBeforeRestart);

        String text = "After the restart " + UUID.randomUUID();
        String next = api.submitTask(projectId, text).path("taskId").asText();
        awaitTurnEnded(next, 1);
        assertThat(nodeOf(next)).as("the same node took the next task").isEqualTo(nodeDir);
        awaitChatContaining(api.task(next), replies.defaultReply(text));
    }

    @Test
    void aTaskWhoseTurnEndedTakesAFollowUpAfterTheRestart() throws Exception {
        String text = "Remember this " + UUID.randomUUID();
        JsonNode accepted = api.submitTask(projectId, text);
        String taskId = accepted.path("taskId").asText();
        awaitTurnEnded(taskId, 1);
        Path nodeDir = nodeOf(taskId);
        Path workspace = nodeDir.resolve("workspaces").resolve("ws-" + taskId).toAbsolutePath().normalize();
        List<ProcessHandle> idleAgent = AgentProcesses.in(workspace);

        killAndStartAgain(nodeDir);

        await("the idle agent gone").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(idleAgent).noneMatch(ProcessHandle::isAlive);
            assertThat(AgentProcesses.in(workspace)).isEmpty();
        });
        await("node connected again").atMost(Duration.ofMinutes(1))
            .until(() -> api.node(nodeDir.getFileName().toString()).path("status").asText().equals("connected"));
        String followUp = "And now? " + UUID.randomUUID();
        HandoffApi.Answer sent = api.sendFollowUp(accepted.path("sessionId").asText(), followUp);
        assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
        awaitTurnEnded(taskId, 2);
        String chat = awaitChatContaining(api.task(taskId), replies.defaultReply(followUp));
        assertThat(chat).as("the agent was started again and loaded its session")
            .contains("started again and reloaded this conversation");
        assertThat(chat).contains(replies.defaultReply(followUp));
        assertThat(chat.split(java.util.regex.Pattern.quote(replies.defaultReply(text)), -1))
            .as("the first answer once in: " + chat).hasSize(2);
    }

    /** The chat once it holds {@code text}: agent output may reach it just after the task's status. */
    private String awaitChatContaining(JsonNode task, String text) {
        return await("the chat holds " + text).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
            .until(() -> chatOf(task), chat -> chat.contains(text));
    }

    private String chatOf(JsonNode task) {
        return String.join("\n", api.messages(task.path("sessionId").asText()).stream()
            .map(m -> m.path("content").asText()).toList());
    }

    private void awaitTurnEnded(String taskId, int times) {
        await("task " + taskId + " turn ended x" + times).atMost(TURN).pollInterval(Duration.ofMillis(300))
            .until(() -> {
                JsonNode task = api.task(taskId);
                assertThat(task.path("status").asText()).as(() -> "task failed: " + task).isNotEqualTo("failed");
                return task.path("status").asText().equals("turn_ended") && task.path("timeline")
                    .findValuesAsText("status").stream().filter("turn_ended"::equals).count() == times;
            });
    }

    /**
     * The folder of the node {@code taskId} runs on: the one node of this class's user (the first task brings it up,
     * every later one runs on it).
     */
    private Path nodeOf(String taskId) {
        String id = api.task(taskId).path("node").path("nodeId").asText();
        if (nodeId == null) {
            nodeId = id;
        }
        assertThat(id).as("the class's one node").isEqualTo(nodeId);
        assertThat(api.nodes()).as("the user's nodes").hasSize(1);
        return stack.nodesDir().resolve(nodeId).toAbsolutePath().normalize();
    }

    /**
     * SIGKILLs the node's vm-agent and starts it again as the local provider did: the same command line and
     * environment (read from /proc; this test runs as the same user), in the node's folder, its output appended to
     * the node's vm-agent.log.
     */
    private void killAndStartAgain(Path nodeDir) throws Exception {
        ProcessHandle vmAgent = vmAgentIn(nodeDir);
        String pid = Long.toString(vmAgent.pid());
        List<String> command = List.of(Files.readString(Path.of("/proc", pid, "cmdline"), StandardCharsets.UTF_8)
            .split("\0"));
        Map<String, String> env = new LinkedHashMap<>();
        for (String variable : Files.readString(Path.of("/proc", pid, "environ"), StandardCharsets.UTF_8).split("\0")) {
            int equals = variable.indexOf('=');
            if (equals > 0) {
                env.put(variable.substring(0, equals), variable.substring(equals + 1));
            }
        }
        assertThat(ManagedProcess.sendSignal(vmAgent.pid(), "KILL")).isTrue();
        vmAgent.onExit().get(30, TimeUnit.SECONDS);

        ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("vm-agent.log").toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        restarted.add(builder.start());
    }

    /** The vm-agent process working in the node's folder. */
    private static ProcessHandle vmAgentIn(Path nodeDir) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).equals(nodeDir)
                    && p.info().commandLine().orElse("").contains("vm-agent");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new IllegalStateException("no vm-agent runs in " + nodeDir));
    }

    /** Dials the gateway like a node, says hello, and returns the gateway's answer. */
    private NodeMessage hello(NodeMessage.Hello hello) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(stack.gatewayUrl()), new WebSocket.Listener() {
                private final StringBuilder frame = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    frame.append(data);
                    if (last) {
                        answer.complete(frame.toString());
                    }
                    ws.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        socket.sendText(NodeProtocol.encode(hello), true).get(10, TimeUnit.SECONDS);
        try {
            return NodeProtocol.decode(answer.get(20, TimeUnit.SECONDS));
        } finally {
            socket.abort();
        }
    }
}
