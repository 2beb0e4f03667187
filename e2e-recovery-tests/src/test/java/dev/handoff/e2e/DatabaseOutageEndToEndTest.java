package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one PostgreSQL server every service uses is stopped in the middle of the pipeline, kept down for some
 * seconds, and started again. Nothing is lost and nothing doubled: consumers retry the event they could not apply,
 * relays and sweeps publish what waited in the outboxes, the gateway closes the node's connection when it cannot
 * commit a report and the node resends it. The task ends its turn with one agent, and the chat holds the agent's
 * answer exactly once and in order. On the {@link BreakableStack}: each test starts PostgreSQL again.
 */
@ExtendWith(BreakableStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class DatabaseOutageEndToEndTest {

    /** How long the database stays down at least, once the services have noticed it is gone. */
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    private final ScriptedReplies replies = new ScriptedReplies();
    private final HandoffStack stack = BreakableStack.get().stack();
    private HandoffApi api;
    private HandoffApi saga;
    private String projectId;
    /** The dead letters before the test: no consumer may give up on an event during it. */
    private Set<KafkaTopics.Recorded> deadLettersBefore;

    @BeforeAll
    void signUpAndWarmUp() {
        api = new HandoffApi(stack.chatUrl());
        saga = HandoffApi.withToken(stack.serviceUrl("orchestrator-service"), stack.internalToken());
        projectId = api.createProject("db-outage", BreakableStack.get().repositoryUrl());
        // A first task brings up the node the tests reuse, so the outage meets the task's own steps.
        String warmUp = api.submitTask(projectId, "Warm up").path("taskId").asText();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
            .until(() -> api.task(warmUp).path("status").asText().equals("turn_ended"));
    }

    @BeforeEach
    void countDeadLetters() {
        deadLettersBefore = Set.copyOf(KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.DEAD_LETTERS));
    }

    @Test
    void databaseDownRightAfterTheOrchestratorTookTheTask() {
        String text = "Outage while orchestrating " + UUID.randomUUID();
        JsonNode accepted = api.submitTask(projectId, text);
        String taskId = accepted.path("taskId").asText();
        await("the saga has the task").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
            .ignoreExceptions().until(() -> saga.get("/api/saga/tasks/" + taskId).status() == 200);

        databaseDownForAWhile();

        awaitTurnEnded(taskId);
        assertOneAgentAndOutputNumberedWithoutGaps(taskId);
        String chat = awaitChatContaining(accepted, replies.defaultReply(text));
        assertThat(chat.split(Pattern.quote(replies.defaultReply(text)), -1)).as("the reply once in: " + chat)
            .hasSize(2);
    }

    @Test
    void databaseDownWhileTheAgentAnswers() {
        int lines = 150;
        JsonNode accepted = api.submitTask(projectId, "Outage while answering " + UUID.randomUUID()
            + " [[slow-reply " + lines + "]]");
        String taskId = accepted.path("taskId").asText();
        await("the answer is streaming").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
            .ignoreExceptions().until(() -> chatOf(accepted).contains("Line 3 of " + lines + "."));

        databaseDownForAWhile();

        awaitTurnEnded(taskId);
        assertOneAgentAndOutputNumberedWithoutGaps(taskId);
        String chat = awaitChatContaining(accepted, "Line " + lines + " of " + lines + ".");
        assertThat(chat).as("the whole answer, once and in order").contains(ScriptedReplies.slowReply(lines));
        for (int line = 1; line <= lines; line++) {
            assertThat(chat.split(Pattern.quote("Line " + line + " of " + lines + "."), -1)).hasSize(2);
        }
    }

    /**
     * Stops PostgreSQL (fast shutdown: every service's connections are closed), waits until the orchestrator's
     * readiness check sees it gone and then at least {@link #OUTAGE}, and starts it again on the same data.
     */
    private void databaseDownForAWhile() {
        stack.postgres().stop();
        String ready = stack.serviceUrl("orchestrator-service") + "/q/health/ready";
        await("the orchestrator notices the database is gone").atMost(Duration.ofMinutes(1))
            .pollDelay(OUTAGE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> HandoffApi.anonymous(ready).get("").status() == 503);
        stack.postgres().restart();
    }

    private void awaitTurnEnded(String taskId) {
        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .ignoreExceptions().until(() -> {
                JsonNode task = api.task(taskId);
                assertThat(task.path("status").asText()).as(() -> "task failed: " + task).isNotEqualTo("failed");
                return task.path("status").asText().equals("turn_ended");
            });
    }

    /**
     * On Kafka: one agent session for the task, its output updates 1..n without gaps or doubles (copies share an id), and no
     * consumer gave up on an event (nothing new on the dead-letter topic).
     */
    private void assertOneAgentAndOutputNumberedWithoutGaps(String taskId) {
        assertThat(KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.DEAD_LETTERS).stream()
            .filter(letter -> !deadLettersBefore.contains(letter))).as("dead letters").isEmpty();
        Map<UUID, Envelope> events = new LinkedHashMap<>();
        KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
            .filter(r -> taskId.equals(r.event().taskId()))
            .forEach(r -> events.putIfAbsent(r.event().eventId(), r.event()));
        assertThat(events.values().stream().filter(e -> e.payload() instanceof AgentStarted)
            .map(e -> e.payload(AgentStarted.class).agentSessionId()).distinct()).hasSize(1);
        TurnOutputs.assertEveryUpdateOnce(events.values().stream().filter(e -> e.payload() instanceof AgentOutput)
            .map(e -> e.payload(AgentOutput.class)).toList());
    }

    /**
     * The chat once it holds {@code text}. Each consumer retries on its own schedule after the outage, so the task's
     * status (task events) may reach the chat before the last of the agent's output (node reports).
     */
    private String awaitChatContaining(JsonNode accepted, String text) {
        return await("the chat holds " + text).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
            .until(() -> chatOf(accepted), chat -> chat.contains(text));
    }

    private String chatOf(JsonNode accepted) {
        List<JsonNode> messages = api.messages(accepted.path("sessionId").asText());
        assertThat(messages).extracting(m -> m.path("seq").asLong()).isSorted().doesNotHaveDuplicates();
        return String.join("\n", messages.stream().map(m -> m.path("content").asText()).toList());
    }
}
