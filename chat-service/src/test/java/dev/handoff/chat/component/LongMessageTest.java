package dev.handoff.chat.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.KafkaHeaders;
import dev.handoff.contracts.events.AgentOutput;
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
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 13: an agent that streams without end does not grow a chat message without bound. chat-service with
 * its real PostgreSQL and Kafka folds 400,000 characters of one answer (four chunks over the real broker) into a
 * message of at most {@code handoff.chat.messages.max-chars} (200,000 by default) that ends with a note saying it
 * was cut; a chunk after the cut changes nothing, and the next message of the turn is shown as usual.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class LongMessageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 100_000;

    @TestHTTPResource("/")
    URL chat;

    @Test
    void anAnswerLongerThanTheCapIsCutWithANoteAndStopsGrowing() throws Exception {
        ChatApi api = api();
        JsonNode accepted = api.submitTask(api.createProject("long-message"), "Talk forever");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        for (int sequence = 1; sequence <= 4; sequence++) {
            send(chunk(taskId, sequence, String.valueOf((char) ('a' + sequence)).repeat(CHUNK)));
        }
        await("the answer folded").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> answer(api, sessionId).contains("Handoff cut this message"));
        send(chunk(taskId, 5, "and still more"));
        send(Envelope.first(new AgentOutput("agent-session-1", 6, "agent_thought_chunk",
            JSON.createObjectNode().put("sessionUpdate", "agent_thought_chunk")
                .set("content", JSON.createObjectNode().put("type", "text").put("text", "A new thought."))), taskId));
        await("the next message").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.messages(sessionId).path("messages").findValuesAsText("content")
                .contains("A new thought."));

        String answer = answer(api, sessionId);
        assertThat(answer).startsWith("b".repeat(CHUNK) + "c".repeat(CHUNK))
            .endsWith("… [Handoff cut this message at 200000 characters: the rest of what the agent wrote here is "
                + "not shown]")
            .doesNotContain("ddd").doesNotContain("and still more");
        assertThat(answer.length()).isLessThan(200_000 + 200);
    }

    private static String answer(ChatApi api, String sessionId) throws Exception {
        for (JsonNode message : api.messages(sessionId).path("messages")) {
            if (message.path("role").asText().equals("assistant")) {
                return message.path("content").asText();
            }
        }
        return "";
    }

    private ChatApi api() throws Exception {
        String url = chat.toString();
        return new ChatApi(chat, ApiSignIn.apiToken(url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
            ComponentProfiles.OPERATOR_EMAIL, ComponentProfiles.OPERATOR_PASSWORD));
    }

    private static Envelope chunk(String taskId, long sequence, String text) {
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
}
