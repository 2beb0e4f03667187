package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.Reply;
import dev.handoff.localstack.ReplyRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A command for a node that has just left: the user's attached machine is claimed for a task, and its vm-agent dies
 * before the task's workspace command reaches it. To hit that moment every time, the orchestrator halts right after
 * it committed the WorkspaceRequested for the claimed node (crash point {@code committed:WorkspaceRequested}); the
 * machine's vm-agent is killed; the orchestrator starts again and its relay publishes the command. The gateway waits
 * its reconnect grace (3 s here), reports the command undeliverable ({@code node_unreachable}), and the task asks
 * for another node that is not the gone one: with a second machine attached the task runs there and ends its turn;
 * with none (no node may be created here: quota 0) it fails with the reason, in the timeline and the chat.
 */
@ExtendWith(SharedStack.class)
@SharedStack.Configure(service = "vm-agent-gateway", env = {"HANDOFF_GATEWAY_NODE_RECONNECT_GRACE=PT3S",
    "HANDOFF_GATEWAY_NODE_SILENT_AFTER=PT6S"})
// Only the users' attached machines: no node is created for a task.
@SharedStack.Configure(service = "provisioner-service", env = "HANDOFF_PROVISIONER_QUOTA_MAX_NODES_PER_OWNER=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeGoneEndToEndTest {

    private static final int HALTED = 86;
    private static final String ANSWER = "hello from the other node";

    /** In every prompt of this class, so the shared fake model answers them with {@link #ANSWER}. */
    private final String marker = "node-gone-" + UUID.randomUUID();
    private final HandoffStack stack = SharedStack.get().stack();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();
    private final List<Process> machines = new ArrayList<>();
    private Path work;
    private ReplyRouter.Route replies;

    @BeforeAll
    void start() throws Exception {
        work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve("node-gone-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(work);
        replies = SharedStack.get().route(marker, request -> Reply.text(ANSWER));
    }

    @AfterAll
    void stop() {
        machines.forEach(NodeGoneEndToEndTest::kill);
        replies.close();
    }

    @Test
    void aTaskWhoseNodeLeftRightBeforeItsWorkspaceCommandIsRetriedOnAnotherNodeAndEndsItsTurn() throws Exception {
        HandoffApi api = new HandoffApi(stack.chatUrl());
        Machine gone = attach(api, "machine-a");
        String projectId = api.createProject("node-gone", repositoryUrl);

        JsonNode accepted = submitWhileTheNodeLeaves(api, projectId, gone);
        String taskId = accepted.path("taskId").asText();
        Machine other = attach(api, "machine-b");
        restartOrchestrator();

        await("task " + taskId + " turn ended on the other node").atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250)).until(() -> {
                String status = api.task(taskId).path("status").asText();
                assertThat(status).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
                return status.equals("turn_ended");
            });
        JsonNode task = api.task(taskId);
        assertThat(task.path("node").path("nodeId").asText()).isEqualTo(other.nodeId());
        String told = "node " + gone.nodeId() + " is not connected to the gateway and did not reconnect within "
            + "3 seconds; trying another node (attempt 2 of 3)";
        List<String> events = task.path("timeline").findValuesAsText("event");
        List<String> details = task.path("timeline").findValuesAsText("detail");
        assertThat(events).containsSubsequence("NodeReady", "WorkspaceFailed", "NodeReady", "WorkspaceReady",
            "AgentStarted", "AgentTurnEnded");
        assertThat(details).contains(told);
        assertThat(task.path("timeline").findValuesAsText("status")).containsSubsequence("creating_workspace",
            "provisioning_node", "creating_workspace", "starting_agent", "running", "turn_ended");
        String sessionId = accepted.path("sessionId").asText();
        assertThat(api.messages(sessionId)).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("system");
            assertThat(m.path("content").asText()).isEqualTo(told);
        });
        await("the answer in the chat").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(api.messages(sessionId)).anySatisfy(m -> {
                assertThat(m.path("role").asText()).isEqualTo("assistant");
                assertThat(m.path("content").asText()).contains(ANSWER);
            }));
        assertThat(other.folder().resolve(".handoff-node/workspaces/ws-" + taskId)).isDirectory();
    }

    @Test
    void withNoOtherNodeTheTaskFailsSayingWhyWithinSeconds() throws Exception {
        HandoffApi api = new HandoffApi(stack.chatUrl());
        Machine gone = attach(api, "machine-c");
        String projectId = api.createProject("node-gone-alone", repositoryUrl);

        JsonNode accepted = submitWhileTheNodeLeaves(api, projectId, gone);
        String taskId = accepted.path("taskId").asText();
        restartOrchestrator();

        await("task " + taskId + " failed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .until(() -> api.task(taskId).path("status").asText().equals("failed"));
        JsonNode task = api.task(taskId);
        String reason = task.path("failureReason").asText();
        assertThat(reason).as(task.toString()).startsWith("no node other than " + gone.nodeId()
            + " (unreachable) could be had: node quota reached");
        assertThat(task.path("timeline").findValuesAsText("detail")).contains("node " + gone.nodeId()
            + " is not connected to the gateway and did not reconnect within 3 seconds; trying another node "
            + "(attempt 2 of 3)");
        assertThat(api.messages(accepted.path("sessionId").asText())).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("system");
            assertThat(m.path("content").asText()).isEqualTo("The task failed: " + reason);
        });
    }

    /**
     * A machine that falls silent (a host that lost power behind a NAT leaves a half-open connection): the gateway
     * closes it at its silence limit (6 s here, told in the Welcome) and the node is shown disconnected, so its owner's
     * next task is not given to it. A real vm-agent beside it, told the same limit, heartbeats within it and stays.
     */
    @Test
    void aMachineThatFallsSilentIsDisconnectedAtTheSilenceLimitAndGetsNoTask() throws Exception {
        HandoffApi api = new HandoffApi(stack.chatUrl());
        Machine alive = attach(api, "machine-d");
        JsonNode ticket = api.attachNode();
        String silentId = ticket.path("nodeId").asText();
        try (HostileNode silent = HostileNode.attach(stack.gatewayUrl(), silentId, ticket.path("token").asText())) {
            long welcomed = System.nanoTime();
            assertThat(silent.ofType("welcome").get(0).path("silentAfterSeconds").asInt()).isEqualTo(6);
            await("node " + silentId + " connected").atMost(Duration.ofSeconds(20))
                .until(() -> api.node(silentId).path("status").asText().equals("connected"));

            assertThat(silent.closedByGateway().get(30, TimeUnit.SECONDS)).isEqualTo("1008 silent for 6 s");
            assertThat(Duration.ofNanos(System.nanoTime() - welcomed)).as("not before the limit")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
            await("node " + silentId + " disconnected").atMost(Duration.ofSeconds(20))
                .until(() -> api.node(silentId).path("status").asText().equals("disconnected"));
        }
        String gatewayLog = Files.readString(stack.logFile("vm-agent-gateway"));
        assertThat(gatewayLog).contains("node " + silentId + " closed: no frame for PT6S");
        assertThat(gatewayLog).doesNotContain("node " + alive.nodeId() + " closed: no frame");
        // The operator sees it in the gateway's metrics.
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.serviceUrl("vm-agent-gateway") + "/q/metrics"))
            .header("Authorization", "Bearer " + stack.internalToken()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(new MetricsEndToEndTest.PrometheusText(metrics.body())
            .sum("handoff_gateway_node_disconnects_total", Map.of("reason", "silent"))).isGreaterThanOrEqualTo(1);
        assertThat(api.node(alive.nodeId()).path("status").asText()).isEqualTo("connected");

        // The owner's task goes to the machine that still speaks, never to the silent one.
        String projectId = api.createProject("node-silent", repositoryUrl);
        String taskId = api.submitTask(projectId, "Say hello " + marker).path("taskId").asText();
        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
            .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));
        assertThat(api.task(taskId).path("node").path("nodeId").asText()).isEqualTo(alive.nodeId());
        kill(alive.process());
    }

    /**
     * Submits a task while the orchestrator is armed to halt once the workspace command for the claimed node
     * committed; then kills that node's vm-agent and waits until the gateway and the provisioner know it is gone.
     */
    private JsonNode submitWhileTheNodeLeaves(HandoffApi api, String projectId, Machine node) throws Exception {
        stack.armCrashPoint("orchestrator-service", "committed:WorkspaceRequested");
        ManagedProcess orchestrator = stack.service("orchestrator-service");
        JsonNode accepted = api.submitTask(projectId, "Say hello " + marker);
        await("orchestrator halted after committing WorkspaceRequested").atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(100)).until(() -> !orchestrator.isAlive());
        assertThat(orchestrator.exitValue()).isEqualTo(HALTED);
        kill(node.process());
        await("node " + node.nodeId() + " disconnected").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> api.node(node.nodeId()).path("status").asText().equals("disconnected"));
        return accepted;
    }

    private void restartOrchestrator() {
        ManagedProcess orchestrator = stack.service("orchestrator-service");
        orchestrator.restart();
        orchestrator.waitForHttp(stack.serviceUrl("orchestrator-service") + "/q/health/ready",
            Duration.ofMinutes(2));
    }

    private record Machine(String nodeId, Path folder, Process process) {
    }

    /** Attaches a machine of the user's (the documented command, in its own folder) and waits until it is healthy. */
    private Machine attach(HandoffApi api, String name) throws Exception {
        JsonNode ticket = api.attachNode();
        String nodeId = ticket.path("nodeId").asText();
        Path folder = Files.createDirectories(work.resolve(name));
        String javaDir = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().toString();
        ProcessBuilder builder = new ProcessBuilder(List.of("sh", "-c", ticket.path("command").asText()))
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve("vm-agent.log").toFile());
        Map<String, String> env = builder.environment();
        env.remove("ANTHROPIC_API_KEY");
        env.put("HOME", folder.toString());
        // The test's repository is a local one (file://), which a machine clones only when its owner allows it.
        env.put("HANDOFF_REPOSITORY_ALLOW_FILE_URLS", "true");
        env.put("PATH", javaDir + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = builder.start();
        machines.add(process);
        await(name + " attached").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> {
                JsonNode node = api.node(nodeId);
                assertThat(node.path("status").asText()).isEqualTo("connected");
                assertThat(node.path("health").asText()).isEqualTo("healthy");
            });
        return new Machine(nodeId, folder, process);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
