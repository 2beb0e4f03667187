package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Topics;
import dev.handoff.localstack.HandoffStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records that are not valid events, published to every topic Handoff consumes, end in the dead-letter topic
 * with the reason, an operator can list and replay them (through chat-service's operator-only proxy), and the
 * pipeline keeps serving the next good task. The orchestrator's own API answers only the internal service token.
 */
@ExtendWith(SharedStack.class)
class PoisonEndToEndTest {

    private static final List<String> CONSUMED_TOPICS = List.of(Topics.TASK_EVENTS, Topics.PROVISIONER_COMMANDS,
        Topics.PROVISIONER_EVENTS, Topics.GATEWAY_EVENTS, Topics.NODE_COMMANDS, Topics.NODE_REPORTS);

    private final SharedStack.Running handoff = SharedStack.get();
    /** The operator, through chat-service's operator-only proxy to the orchestrator. */
    private final HandoffApi operator = HandoffApi.signIn(handoff.stack().chatUrl(), HandoffStack.OPERATOR_EMAIL,
        handoff.stack().operatorPassword());

    @Test
    void poisonGoesToDeadLettersAndTheNextTaskIsServed() throws Exception {
        String marker = UUID.randomUUID().toString();
        List<String> poison = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (String topic : CONSUMED_TOPICS) {
                String garbage = "not an event " + marker + " on " + topic;
                String unknownType = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"TaskExploded\","
                    + "\"schemaVersion\":1,\"taskId\":\"" + marker + "\",\"occurredAt\":\"2026-11-24T10:00:00Z\","
                    + "\"payload\":{\"topic\":\"" + topic + "\"}}";
                String futureVersion = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"TaskFailed\","
                    + "\"schemaVersion\":99,\"taskId\":\"" + marker + "\",\"occurredAt\":\"2026-11-24T10:00:00Z\","
                    + "\"payload\":{\"step\":\"" + topic + "\",\"reason\":\"from the future\"}}";
                for (String value : List.of(garbage, unknownType, futureVersion)) {
                    producer.send(new ProducerRecord<>(topic, marker, value)).get();
                    poison.add(value);
                }
            }
        }

        String projectId = handoff.api().createProject("after-poison", handoff.repositoryUrl());
        String taskId = handoff.api().submitTask(projectId, "Say hello after the poison").path("taskId").asText();
        await("the next good task is served").atMost(Duration.ofMinutes(3))
            .until(() -> handoff.api().task(taskId).path("status").asText().equals("turn_ended"));

        await("every poison record is a dead letter").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            List<JsonNode> letters = deadLetters();
            for (String value : poison) {
                assertThat(letters).as("dead letter for " + value).anySatisfy(letter -> {
                    assertThat(letter.path("value").asText()).isEqualTo(value);
                    assertThat(letter.path("reason").asText()).isNotBlank();
                    assertThat(CONSUMED_TOPICS).contains(letter.path("originalTopic").asText());
                });
            }
        });

        JsonNode first = deadLetters().stream().filter(l -> l.path("value").asText().equals(poison.get(0)))
            .findFirst().orElseThrow();
        long before = deadLetters().stream().filter(l -> l.path("value").asText().equals(poison.get(0))).count();
        HandoffApi.Answer replayed = operator.post("/api/ops/dead-letters/" + first.path("partition").asInt() + "/"
            + first.path("offset").asLong() + "/replay", "");
        assertThat(replayed.status()).isEqualTo(202);
        await("the replayed record is consumed again (and fails again)").atMost(Duration.ofMinutes(1))
            .until(() -> deadLetters().stream().filter(l -> l.path("value").asText().equals(poison.get(0))).count()
                > before);
        assertThat(operator.post("/api/ops/dead-letters/0/999999999/replay", "").status()).isEqualTo(404);
    }

    @Test
    void deadLettersAreForOperatorsAndTheOrchestratorsApiNeedsTheServiceToken() {
        assertThat(handoff.api().get("/api/ops/dead-letters").status()).as("a user who is no operator").isEqualTo(403);
        assertThat(handoff.api().post("/api/ops/dead-letters/0/0/replay", "").status()).isEqualTo(403);
        assertThat(operator.get("/api/ops/dead-letters").status()).isEqualTo(200);

        String orchestrator = handoff.stack().serviceUrl("orchestrator-service");
        for (HandoffApi caller : List.of(HandoffApi.anonymous(orchestrator),
            HandoffApi.withToken(orchestrator, "not-the-token"), HandoffApi.withToken(orchestrator, operator.token()))) {
            assertThat(caller.get("/api/ops/dead-letters").status()).isEqualTo(401);
            assertThat(caller.post("/api/ops/dead-letters/0/0/replay", "").status()).isEqualTo(401);
            assertThat(caller.get("/api/saga/tasks/x").status()).isEqualTo(401);
        }
        HandoffApi service = HandoffApi.withToken(orchestrator, handoff.stack().internalToken());
        assertThat(service.get("/api/ops/dead-letters").status()).isEqualTo(200);
        assertThat(service.get("/api/saga/tasks/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    private List<JsonNode> deadLetters() {
        List<JsonNode> letters = new ArrayList<>();
        operator.get("/api/ops/dead-letters?limit=1000").body().forEach(letters::add);
        return letters;
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, handoff.stack().kafka().bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }
}
