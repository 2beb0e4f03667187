package dev.handoff.chat.component;

import dev.handoff.contracts.Meters;
import dev.handoff.contracts.Topics;
import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outbox row the relay cannot read as an event (written by an older release, or damaged) is not lost: it goes to
 * the dead-letter topic as it was, with the reason and the topic it was meant for, and the relay goes on with the
 * rows after it. It is counted in {@code handoff_dead_letters_total} by the topic it was meant for.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.ShortRetention.class)
class OutboxDeadLetterTest {

    @Inject
    MeterRegistry registry;

    @Test
    void anUndecodableOutboxRowGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        String value = "{\"type\":\"TaskCreated\",\"not\":\"an event " + UUID.randomUUID() + "\"}";
        String key = "task-" + UUID.randomUUID();
        double countedBefore = deadLettersCounted(Topics.TASK_EVENTS);
        insertOutboxRow(Topics.TASK_EVENTS, key, value);

        List<ConsumerRecord<String, String>> deadLetters = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructureResource.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "outbox-dead-letter-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            await("the row on the dead-letter topic").atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
                return deadLetters.stream().anyMatch(r -> value.equals(r.value()));
            });
        }
        ConsumerRecord<String, String> dead = deadLetters.stream().filter(r -> value.equals(r.value())).findFirst()
            .orElseThrow();
        assertThat(dead.key()).isEqualTo(key);
        assertThat(header(dead, "dead-letter-topic")).isEqualTo(Topics.TASK_EVENTS);
        assertThat(header(dead, "dead-letter-reason")).contains("not a valid event");
        await("the dead letter counted").atMost(Duration.ofSeconds(10))
            .until(() -> deadLettersCounted(Topics.TASK_EVENTS) > countedBefore);
    }

    private double deadLettersCounted(String topic) {
        Counter counter = registry.find(Meters.DEAD_LETTERS.name()).tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void insertOutboxRow(String topic, String key, String value) throws Exception {
        try (Connection connection = RealInfrastructureResource.postgres().connect(RealInfrastructureResource.DATABASE);
             PreparedStatement insert = connection.prepareStatement("insert into outbox_event "
                 + "(eventId, topic, kafkaKey, type, value, createdAt) values (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, topic);
            insert.setString(3, key);
            insert.setString(4, "TaskCreated");
            insert.setString(5, value);
            insert.setObject(6, java.sql.Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
    }
}
