package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes on purpose: a service or the Kafka broker is killed with SIGKILL while a task is on its way (before it
 * gets its step's event, or after it sent its own), then started again. The task must still end its turn, with one
 * node, one agent process, one prompt delivery, and the agent's output in the chat exactly once and in order.
 * On the {@link BreakableStack}: each test starts again what it killed.
 */
@ExtendWith(BreakableStack.class)
@TestMethodOrder(MethodOrderer.MethodName.class)
class CrashEndToEndTest {

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
        projectId = api.createProject("crash", BreakableStack.get().repositoryUrl());
        // A first task brings up the node every later task reuses.
        Task warmUp = submit("Warm up");
        awaitTurnEnded(warmUp);
        nodeId = api.task(warmUp.id()).path("node").path("nodeId").asText();
    }

    @Test
    void chatServiceKilledWhileTheAgentAnswers() {
        Task task = submit("Chat crash");
        ManagedProcess chat = stack.service("chat-service");
        HandoffApi saga = HandoffApi.withToken(stack.serviceUrl("orchestrator-service"), stack.internalToken());
        // The agent has the prompt (running): the gateway fetched the task's secrets from chat-service for the
        // workspace and the agent start (it sends no command without them). Then chat-service dies and misses the
        // agent's answer, which waits for it on Kafka.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() ->
            saga.get("/api/saga/tasks/" + task.id()).body().path("status").asText().equals("running"));
        chat.crash();
        await().atMost(Duration.ofMinutes(2)).until(() ->
            saga.get("/api/saga/tasks/" + task.id()).body().path("status").asText().equals("turn_ended"));
        restart(chat);
        assertDeliveredExactlyOnce(task);
    }

    @Test
    void kafkaBrokerKilledBeforeTheTaskIsPublished() {
        stack.kafka().kill();
        Task task = submit("Kafka crash");
        assertThat(api.task(task.id()).path("status").asText()).isEqualTo("queued");
        stack.kafka().restart();
        assertDeliveredExactlyOnce(task);
    }

    @Test
    void orchestratorKilledBeforeTaskCreatedArrives() {
        ManagedProcess orchestrator = stack.service("orchestrator-service");
        orchestrator.crash();
        Task task = submit("Orchestrator crash before TaskCreated");
        restart(orchestrator);
        assertDeliveredExactlyOnce(task);
    }

    @Test
    void provisionerKilledBeforeNodeRequestedAndOrchestratorAfterSendingIt() {
        ManagedProcess provisioner = stack.service("provisioner-service");
        ManagedProcess orchestrator = stack.service("orchestrator-service");
        provisioner.crash();
        Task task = submit("Provisioner crash before NodeRequested");
        awaitStatus(task, "provisioning_node");
        orchestrator.crash();
        restart(provisioner);
        restart(orchestrator);
        assertDeliveredExactlyOnce(task);
    }

    @Test
    void gatewayKilledBeforeWorkspaceRequestedArrives() {
        ManagedProcess gateway = stack.service("vm-agent-gateway");
        gateway.crash();
        Task task = submit("Gateway crash before WorkspaceRequested");
        awaitStatus(task, "creating_workspace");
        restart(gateway);
        assertDeliveredExactlyOnce(task);
    }

    private record Task(String id, String sessionId, String text) {
    }

    private static Task submit(String what) {
        String text = what + " " + UUID.randomUUID();
        JsonNode accepted = api.submitTask(projectId, text);
        return new Task(accepted.path("taskId").asText(), accepted.path("sessionId").asText(), text);
    }

    private static void restart(ManagedProcess service) {
        service.restart();
        service.waitForHttp(healthUrl(service), Duration.ofMinutes(2));
    }

    private static String healthUrl(ManagedProcess service) {
        return stack.serviceUrl(service.name()) + "/q/health/ready";
    }

    private static void awaitStatus(Task task, String status) {
        await("task " + task.id() + " " + status).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(task.id()).path("status").asText().equals(status));
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

        // One agent process, so one prompt delivery: the vm-agent marks each agent start in the agent's log.
        Path stderrLog = node.resolve("agent-homes").resolve("ws-" + task.id()).resolve("agent-stderr.log");
        assertThat(count(stderrLog, "--- handoff vm-agent: starting agent ")).as("agent starts").isEqualTo(1);

        // On Kafka: one agent session for the task, its output updates 1..n without gaps or doubles (an event published
        // twice by an outbox relay that died before marking it keeps its id, and consumers drop the copy).
        Map<java.util.UUID, Envelope> events = new LinkedHashMap<>();
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
