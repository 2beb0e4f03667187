package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes at the inner points no timing from outside reaches: a running service gets a crash point armed
 * ({@link HandoffStack#armCrashPoint}, service-kit {@code CrashPoints}), halts itself there while a task passes
 * (after its state change and event committed, before the event is published; after publishing, before the outbox
 * row is marked; in the gateway after a node's report committed, before the node's Ack), and is started again
 * without it.
 * The task must still end its turn with one node, one agent start, one prompt delivery, and the agent's output in
 * the chat exactly once and in order. On the {@link BreakableStack}: each test arms a point for one run of one
 * service and starts the service again once it halted.
 */
@ExtendWith(BreakableStack.class)
@TestMethodOrder(MethodOrderer.MethodName.class)
class CrashPointsEndToEndTest {

    /** The exit code of a process halted at a crash point (service-kit {@code CrashPoints.EXIT_CODE}). */
    private static final int HALTED = 86;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HandoffStack stack;
    private static HandoffApi api;
    private static String projectId;
    /** The node this class's first task brought up; every later task of the class runs on it. */
    private static String nodeId;
    /** The nodes' folders before this class started: any other is one this class's tasks made start. */
    private static Set<Path> nodesBefore;

    @BeforeAll
    static void signUpAndWarmUp() {
        stack = BreakableStack.get().stack();
        nodesBefore = Set.copyOf(list(stack.nodesDir()));
        api = new HandoffApi(stack.chatUrl());
        projectId = api.createProject("crash-points", BreakableStack.get().repositoryUrl());
        // A first task brings up the node every later task reuses.
        Task warmUp = submit("Warm up");
        awaitTurnEnded(warmUp);
        nodeId = api.task(warmUp.id()).path("node").path("nodeId").asText();
    }

    @Test
    void chatHaltsAfterTaskCreatedCommittedBeforeItIsPublished() {
        // The task and its TaskCreated committed; the answer to the submission never leaves: the caller sees the
        // connection die and finds the task in the project's sessions; the restarted relay publishes TaskCreated.
        Task task = crashAt("chat-service", "committed:TaskCreated",
            () -> submitThroughAHalt("Chat halted after commit"));
        assertDeliveredExactlyOnce(task.found());
    }

    @Test
    void chatHaltsAfterPublishingTaskCreatedBeforeMarkingItPublished() {
        // TaskCreated is on Kafka, its outbox row still unmarked: the restarted relay publishes it again, the
        // orchestrator drops the copy by its event id.
        Task task = crashAt("chat-service", "published:TaskCreated",
            () -> submitThroughAHalt("Chat halted after publish"));
        assertDeliveredExactlyOnce(task.found());
    }

    @Test
    void chatHaltsAfterApplyingAgentOutputBeforeItsOffsetIsCommitted() {
        // The first output is folded into the chat with its inbox record; Kafka redelivers it after the restart and
        // the inbox drops it, while the rest of the answer waited on Kafka.
        Task task = crashAt("chat-service", "applied:AgentOutput", () -> submit("Chat halted after applying output"));
        assertDeliveredExactlyOnce(task);
    }

    @Test
    void gatewayHaltsAfterAgentStartedCommittedBeforePublishingOrAcking() {
        Task task = crashAt("vm-agent-gateway", "committed:AgentStarted", () -> submit("Gateway halted after commit"));
        assertDeliveredExactlyOnce(task);
    }

    @Test
    void gatewayHaltsAfterTakingWorkspaceReadyBeforeAckingTheNode() {
        Task task = crashAt("vm-agent-gateway", "report-taken:WorkspaceReadyReport",
            () -> submit("Gateway halted before ack"));
        assertDeliveredExactlyOnce(task);
    }

    // One committed-before-published point per service: every service stages its events through service-kit's
    // Outbox, so a second event type of the same service (NodeRequested here before) tests the same relay again.
    @Test
    void orchestratorHaltsAfterAgentStartRequestedCommittedBeforeItIsPublished() {
        Task task = crashAt("orchestrator-service", "committed:AgentStartRequested",
            () -> submit("Orchestrator halted after AgentStartRequested"));
        assertDeliveredExactlyOnce(task);
    }

    @Test
    void orchestratorHaltsAfterPublishingWorkspaceRequestedBeforeMarkingItPublished() {
        Task task = crashAt("orchestrator-service", "published:WorkspaceRequested",
            () -> submit("Orchestrator halted after publishing WorkspaceRequested"));
        assertDeliveredExactlyOnce(task);
    }

    @Test
    void provisionerHaltsAfterNodeReadyCommittedBeforeItIsPublished() {
        Task task = crashAt("provisioner-service", "committed:NodeReady",
            () -> submit("Provisioner halted after NodeReady"));
        assertDeliveredExactlyOnce(task);
    }

    /**
     * The vm-agent halts with the prompt on the agent's stdin and AgentStarted not yet reported (its delivery record
     * still says {@code accepted}). The prompt is never written again: a vm-agent started anew answers a redelivered
     * StartAgent from that record and reports the turn it had under way failed (VmAgentRestartEndToEndTest); nothing
     * starts a local vm-agent again by itself, so here the agent-start deadline ends the task, failed with its
     * reason, and the node stays disconnected. Nested, so it runs after the tests above (JUnit runs a class's own
     * tests first): it takes the class's node down. The provisioner passes the crash point to the nodes it starts
     * while this class runs, the orchestrator waits 15 s for an agent to start (the prompt is written about 2 s into
     * starting_agent here; both services are back to their usual variables after it, {@link BreakableStack}); the
     * halted node is deleted at the end.
     */
    @Nested
    @SharedStack.Configure(service = "provisioner-service", env = {"HANDOFF_CRASH_AT=prompt-written",
        "HANDOFF_PROVISIONER_LOCAL_PASS_ENV=" + HandoffStack.LOCAL_NODE_PASS_ENV + ",HANDOFF_CRASH_AT"})
    @SharedStack.Configure(service = "orchestrator-service", env = "HANDOFF_DEADLINES_AGENT_START=PT15S")
    class VmAgentHalted {

        @Test
        void vmAgentHaltsAfterWritingThePromptBeforeReportingAgentStarted() throws IOException {
            // The warm node goes, so the task gets a new node whose vm-agent has the point armed.
            api.nodes().stream().filter(n -> n.path("deletedAt").isNull() || n.path("deletedAt").isMissingNode())
                .forEach(n -> assertThat(api.deleteNode(n.path("id").asText()).status()).isEqualTo(200));

            Task task = submit("Node halted after the prompt");
            await("the task's node").atMost(Duration.ofMinutes(2)).ignoreExceptions()
                .until(() -> !api.task(task.id()).path("node").path("nodeId").asText().isEmpty());
            String haltedId = api.task(task.id()).path("node").path("nodeId").asText();
            Path node = stack.nodesDir().resolve(haltedId);
            await("vm-agent halted at prompt-written").atMost(Duration.ofMinutes(2)).ignoreExceptions()
                .until(() -> Files.readString(node.resolve("vm-agent.log"))
                    .contains("handoff crash point reached: prompt-written"));

            String reason = "the agent did not start within 15 seconds";
            await("task " + task.id() + " failed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.task(task.id()).path("status").asText().equals("failed"));
            assertThat(api.task(task.id()).path("failureReason").asText()).isEqualTo(reason);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.messages(task.sessionId()))
                .anySatisfy(m -> assertThat(m.path("content").asText()).isEqualTo("The task failed: " + reason)));
            // A node whose vm-agent had connected stays, disconnected, for its vm-agent to be started again and
            // rejoin (VmAgentRestartEndToEndTest); the provisioner logged the exit code.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.node(haltedId)
                .path("status").asText()).isEqualTo("disconnected"));
            assertThat(Files.readString(stack.logFile("provisioner-service")))
                .contains("node " + haltedId + ": the node's vm-agent exited with code " + HALTED);

            // The prompt went to one agent, once, and its delivery is still only accepted on disk: a restarted
            // vm-agent answers it from there and never writes the prompt again.
            Path stderrLog = node.resolve("agent-homes").resolve("ws-" + task.id()).resolve("agent-stderr.log");
            assertThat(count(stderrLog, "--- handoff vm-agent: starting agent ")).as("agent starts").isEqualTo(1);
            List<JsonNode> deliveries = list(node.resolve("deliveries")).stream()
                .map(CrashPointsEndToEndTest::readJson).filter(d -> task.id().equals(d.path("taskId").asText()))
                .toList();
            assertThat(deliveries).hasSize(1);
            assertThat(deliveries.get(0).path("state").asText()).isEqualTo("accepted");
            String reply = new ScriptedReplies().defaultReply(task.text());
            assertThat(api.messages(task.sessionId())).noneSatisfy(m ->
                assertThat(m.path("content").asText()).contains(reply));

            // The halted node goes, so the stack keeps no node that will never come back.
            assertThat(api.deleteNode(haltedId).status()).isEqualTo(200);
        }
    }

    /** A submitted task; {@code sessionsBefore} is set when the submission's answer was lost. */
    private record Task(String id, String sessionId, String text, Set<String> sessionsBefore) {

        Task(String id, String sessionId, String text) {
            this(id, sessionId, text, null);
        }

        /** This task, its ids looked up in the project's sessions when the submission's answer was lost. */
        Task found() {
            if (id != null) {
                return this;
            }
            List<JsonNode> fresh = api.sessions(projectId).stream()
                .filter(s -> !sessionsBefore.contains(s.path("taskId").asText())).toList();
            assertThat(fresh).as("the one task submitted while chat-service halted").hasSize(1);
            return new Task(fresh.get(0).path("taskId").asText(), fresh.get(0).path("id").asText(), text);
        }
    }

    /**
     * Arms {@code point} in the running {@code service} ({@link HandoffStack#armCrashPoint}), runs {@code trigger},
     * waits until the service halted at the point (its exit code and log say so), and starts it again, unarmed
     * (a halt disarms its point). Only the service's own process goes, as in a crash: the provisioner's local nodes,
     * its children, stay.
     */
    private static <T> T crashAt(String service, String point, Supplier<T> trigger) {
        ManagedProcess process = stack.service(service);
        stack.armCrashPoint(service, point);
        T result = trigger.get();
        await(service + " halted at " + point).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
            .until(() -> !process.isAlive());
        assertThat(process.exitValue()).as(service + " exit code").isEqualTo(HALTED);
        assertThat(process.logTail(200)).contains("handoff crash point reached: " + point);
        process.restart();
        process.waitForHttp(healthUrl(process), Duration.ofMinutes(2));
        return result;
    }

    private static Task submit(String what) {
        String text = what + " " + UUID.randomUUID();
        JsonNode accepted = api.submitTask(projectId, text);
        return new Task(accepted.path("taskId").asText(), accepted.path("sessionId").asText(), text);
    }

    /**
     * Submits while chat-service may halt before it answers (the task is committed, the answer is lost); the task is
     * then the project's one new session, looked up once chat-service is back ({@link Task#found}).
     */
    private static Task submitThroughAHalt(String what) {
        Set<String> before = api.sessions(projectId).stream().map(s -> s.path("taskId").asText())
            .collect(Collectors.toSet());
        String text = what + " " + UUID.randomUUID();
        try {
            JsonNode accepted = api.submitTask(projectId, text);
            return new Task(accepted.path("taskId").asText(), accepted.path("sessionId").asText(), text, null);
        } catch (RuntimeException connectionDied) {
            return new Task(null, null, text, before);
        }
    }

    private static String healthUrl(ManagedProcess service) {
        return stack.serviceUrl(service.name()) + "/q/health/ready";
    }

    private static void awaitTurnEnded(Task task) {
        await("task " + task.id() + " turn ended").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(() -> {
                String status = api.task(task.id()).path("status").asText();
                assertThat(status).as(() -> "task failed: " + api.task(task.id())).isNotEqualTo("failed");
                return status.equals("turn_ended");
            });
    }

    private static void assertDeliveredExactlyOnce(Task task) {
        awaitTurnEnded(task);
        assertThat(api.task(task.id()).path("stopReason").asText()).isEqualTo("end_turn");

        // One node for every task of this class: no crash made Handoff start another.
        assertThat(api.task(task.id()).path("node").path("nodeId").asText()).isEqualTo(nodeId);
        assertThat(list(stack.nodesDir()).stream().filter(dir -> !nodesBefore.contains(dir)))
            .containsExactly(stack.nodesDir().resolve(nodeId));
        Path node = stack.nodesDir().resolve(nodeId);

        // One agent process, so one prompt delivery: the vm-agent marks each agent start in the agent's log, and
        // records each StartAgent delivery it accepted on disk.
        Path stderrLog = node.resolve("agent-homes").resolve("ws-" + task.id()).resolve("agent-stderr.log");
        assertThat(count(stderrLog, "--- handoff vm-agent: starting agent ")).as("agent starts").isEqualTo(1);
        List<JsonNode> deliveries = list(node.resolve("deliveries")).stream().map(CrashPointsEndToEndTest::readJson)
            .filter(d -> task.id().equals(d.path("taskId").asText())).toList();
        assertThat(deliveries).as("deliveries of the task").hasSize(1);
        assertThat(deliveries.get(0).path("state").asText()).isEqualTo("ended");

        // On Kafka: one agent session for the task, its output updates 1..n without gaps or doubles.
        Map<UUID, Envelope> events = new LinkedHashMap<>();
        KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
            .filter(r -> task.id().equals(r.event().taskId()))
            .forEach(r -> events.putIfAbsent(r.event().eventId(), r.event()));
        assertThat(events.values().stream().filter(e -> e.payload() instanceof AgentStarted)
            .map(e -> e.payload(AgentStarted.class).agentSessionId()).distinct()).hasSize(1);
        TurnOutputs.assertEveryUpdateOnce(events.values().stream().filter(e -> e.payload() instanceof AgentOutput)
            .map(e -> e.payload(AgentOutput.class)).toList());

        // In the chat: the task, then the model's reply exactly once, in order.
        List<JsonNode> messages = api.messages(task.sessionId());
        assertThat(messages.get(0).path("content").asText()).isEqualTo(task.text());
        assertThat(messages).extracting(m -> m.path("seq").asLong()).isSorted().doesNotHaveDuplicates();
        String chat = String.join("\n", messages.stream().map(m -> m.path("content").asText()).toList());
        String reply = new ScriptedReplies().defaultReply(task.text());
        assertThat(chat.split(java.util.regex.Pattern.quote(reply), -1)).as("the reply once in: " + chat).hasSize(2);
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Path file, String marker) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(marker)).count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
