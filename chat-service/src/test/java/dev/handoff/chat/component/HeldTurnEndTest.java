package dev.handoff.chat.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.KafkaHeaders;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.localstack.ApiSignIn;
import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A turn_ended status that reaches chat-service before the turn's output (they come on different topics) is held:
 * the task shows its turn ended only once the transcript holds the output up to the status's {@code lastSequence},
 * and, should that output never come, after {@code handoff.chat.turn-end.max-wait} (8 s here). chat-service with
 * its real PostgreSQL and Kafka; the events cross the real broker.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.ShortRetention.class)
class HeldTurnEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL chat;

    @Test
    void aTurnEndedBeforeItsOutputIsShownOnceTheOutputIsInTheChat() throws Exception {
        ChatApi api = api();
        JsonNode accepted = api.submitTask(api.createProject("held-turn-end"), "Say hello");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        send(Envelope.first(new TaskStatusChanged("running", "starting_agent", "AgentStarted", null, null), taskId));
        send(output(taskId, 1, "Hello "));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.task(taskId).path("status").asText().equals("running"));

        send(Envelope.first(new TaskStatusChanged("turn_ended", "running", "AgentTurnEnded", null, "end_turn", null,
            3L), taskId));
        await("the status held").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> heldUntil(taskId) == 3);
        assertThat(api.task(taskId).path("status").asText()).isEqualTo("running");

        send(output(taskId, 2, "from the "));
        send(output(taskId, 3, "agent."));
        await("turn ended").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));

        assertThat(api.messages(sessionId).path("messages").findValuesAsText("content"))
            .contains("Hello from the agent.");
        assertThat(api.task(taskId).path("stopReason").asText()).isEqualTo("end_turn");
        assertThat(heldUntil(taskId)).isZero();
    }

    @Test
    void aTurnEndedWhoseOutputNeverComesIsShownAfterTheWait() throws Exception {
        ChatApi api = api();
        String taskId = api.submitTask(api.createProject("held-turn-end-lost"), "Say hello").path("taskId").asText();
        send(output(taskId, 1, "Only this"));

        send(Envelope.first(new TaskStatusChanged("turn_ended", "running", "AgentTurnEnded", null, "end_turn", null,
            2L), taskId));
        await("the status held").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> heldUntil(taskId) == 2);

        await("shown after the wait").atLeast(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));
    }

    private ChatApi api() throws Exception {
        String url = chat.toString();
        return new ChatApi(chat, ApiSignIn.apiToken(url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
            ComponentProfiles.OPERATOR_EMAIL, ComponentProfiles.OPERATOR_PASSWORD));
    }

    private static Envelope output(String taskId, long sequence, String text) {
        return Envelope.first(new AgentOutput("agent-session-1", sequence, "agent_message_chunk",
            JSON.createObjectNode().put("sessionUpdate", "agent_message_chunk")
                .set("content", JSON.createObjectNode().put("type", "text").put("text", text))), taskId);
    }

    private static void send(Envelope event) {
        Map<String, Object> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructureResource.kafka().bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            var record = new ProducerRecord<>(event.topic(), event.kafkaKey(), EventCodec.encode(event));
            record.headers().add(KafkaHeaders.EVENT_TYPE, event.type().getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + event.type(), e);
        }
    }

    private static long heldUntil(String taskId) throws Exception {
        try (Connection connection = RealInfrastructureResource.postgres().connect(RealInfrastructureResource.DATABASE);
             PreparedStatement query = connection.prepareStatement("select heldUntilSequence from task where id = ?")) {
            query.setString(1, taskId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
