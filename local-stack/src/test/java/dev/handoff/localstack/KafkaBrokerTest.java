package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void recordSurvivesSigkillAndRestartOnTheSameDirectory() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            String topic = "local-stack-test-" + UUID.randomUUID();
            kafka.createTopics(topic);
            kafka.createTopics(topic); // idempotent
            assertThat(kafka.topics()).contains(topic);

            RecordMetadata sent;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                sent = producer.send(new ProducerRecord<>(topic, "task-1", "hello kafka")).get(30, TimeUnit.SECONDS);
            }
            assertThat(readAll(kafka, topic, sent.partition())).containsExactly("task-1=hello kafka");

            long pidBefore = kafka.pid();
            int port = kafka.port();
            kafka.kill();
            assertThat(kafka.isAlive()).isFalse();
            assertThat(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            kafka.restart();
            assertThat(kafka.isAlive()).isTrue();
            assertThat(kafka.pid()).isNotEqualTo(pidBefore);
            assertThat(kafka.port()).isEqualTo(port);
            assertThat(readAll(kafka, topic, sent.partition())).containsExactly("task-1=hello kafka");
        }
    }

    private static List<String> readAll(KafkaBroker kafka, String topic, int partition) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r.key() + "=" + r.value());
                }
                return !seen.isEmpty();
            });
            return seen;
        }
    }
}
