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

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of agent output (a thousand chunks on the real broker, faster than one transaction each could take them,
 * with a redelivered event and a resent old chunk among them) ends as one assistant message holding every chunk
 * once, in order; the live stream sends that message whole once and then only the text added ({@code append}
 * events, each at the offset where the text sent so far ends).
 */
@QuarkusTest
@TestProfile(ComponentProfiles.ShortRetention.class)
class OutputBurstTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNKS = 1000;

    @TestHTTPResource("/")
    URL chat;

    record Event(String name, JsonNode data) {
    }

    @Test
    void aBurstOfChunksIsStoredOnceInOrderAndStreamedAsAppends() throws Exception {
        String base = chat.toString().replaceAll("/$", "");
        String token = ApiSignIn.apiToken(base, ComponentProfiles.OPERATOR_EMAIL, ComponentProfiles.OPERATOR_PASSWORD);
        ChatApi api = new ChatApi(chat, token);
        JsonNode accepted = api.submitTask(api.createProject("output-burst"), "Stream a lot");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        List<Event> events = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/api/sessions/" + sessionId + "/stream?after=0"))
            .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> read(stream.body(), events));
        reader.setDaemon(true);
        reader.start();

        StringBuilder expected = new StringBuilder();
        List<Envelope> burst = new ArrayList<>();
        for (int i = 1; i <= CHUNKS; i++) {
            burst.add(output(taskId, i, String.format("%05d ", i)));
            expected.append(String.format("%05d ", i));
            if (i == 500) {
                burst.add(burst.get(250));                       // the same event again (a redelivery)
                burst.add(output(taskId, 300, "resent "));      // an old chunk as a new event (a node's resend)
            }
        }
        send(burst);

        await("every chunk stored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> assistantContent(api, sessionId).length() >= expected.length());
        assertThat(assistantContent(api, sessionId)).isEqualTo(expected.toString());

        await("every chunk streamed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> folded(events).length() >= expected.length());
        assertThat(folded(events)).isEqualTo(expected.toString());
        assertThat(events.stream().filter(e -> e.name().equals("append")).count()).isPositive();
        stream.body().close();
    }

    /** The assistant message as the stream's events build it: whole once, then each append where the text ends. */
    private static String folded(List<Event> events) {
        String content = "";
        for (Event event : events) {
            if (!event.data().path("role").asText().equals("assistant")) {
                continue;
            }
            if (event.name().equals("message")) {
                content = event.data().path("content").asText();
            } else if (event.name().equals("append")) {
                assertThat(event.data().path("offset").asLong()).isEqualTo(content.length());
                content += event.data().path("text").asText();
            }
        }
        return content;
    }

    private static void read(Stream<String> lines, List<Event> events) {
        String[] name = {"message"};
        lines.forEach(line -> {
            if (line.startsWith("event:")) {
                name[0] = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                try {
                    events.add(new Event(name[0], JSON.readTree(line.substring(5).strip())));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            } else if (line.isEmpty()) {
                name[0] = "message";
            }
        });
    }

    private static String assistantContent(ChatApi api, String sessionId) {
        for (JsonNode message : api.messages(sessionId).path("messages")) {
            if (message.path("role").asText().equals("assistant")) {
                return message.path("content").asText();
            }
        }
        return "";
    }

    private static Envelope output(String taskId, long sequence, String text) {
        return Envelope.first(new AgentOutput("agent-session-1", sequence, "agent_message_chunk",
            JSON.createObjectNode().put("sessionUpdate", "agent_message_chunk")
                .set("content", JSON.createObjectNode().put("type", "text").put("text", text))), taskId);
    }

    private static void send(List<Envelope> events) throws Exception {
        Map<String, Object> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructureResource.kafka().bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (Envelope event : events) {
                var record = new ProducerRecord<>(event.topic(), event.kafkaKey(), EventCodec.encode(event));
                record.headers().add(KafkaHeaders.EVENT_TYPE, event.type().getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
    }
}
