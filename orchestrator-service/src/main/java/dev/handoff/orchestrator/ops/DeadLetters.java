package dev.handoff.orchestrator.ops;

import dev.handoff.contracts.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the dead-letter topic and puts a dead letter back on the topic it came from. Records land there through
 * each channel's SmallRye dead-letter failure strategy, which keeps key and value and adds the reason in
 * headers ({@code dead-letter-reason}, {@code dead-letter-topic}, ...).
 */
@ApplicationScoped
public class DeadLetters {

    /** One dead letter as operators see it. */
    public record DeadLetter(int partition, long offset, Instant at, String originalTopic, String key, String reason,
                             String cause, String value) {
    }

    static final String REASON = "dead-letter-reason";
    static final String CAUSE = "dead-letter-cause";
    static final String ORIGINAL_TOPIC = "dead-letter-topic";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private KafkaProducer<String, String> producer;

    /** The newest {@code limit} dead letters, oldest first. */
    public List<DeadLetter> list(int limit) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - limit));
            }
            List<DeadLetter> letters = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!reachedEnd(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(view(record));
                }
            }
            letters.sort((a, b) -> a.at().compareTo(b.at()));
            return letters.size() > limit ? letters.subList(letters.size() - limit, letters.size()) : letters;
        }
    }

    /** Publishes the dead letter at {@code partition}/{@code offset} again, unchanged, to its original topic. */
    public Optional<DeadLetter> replay(int partition, long offset) {
        Optional<ConsumerRecord<String, String>> found = read(partition, offset);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConsumerRecord<String, String> record = found.get();
        DeadLetter letter = view(record);
        if (letter.originalTopic() == null) {
            throw new IllegalStateException("dead letter " + partition + "/" + offset + " names no original topic");
        }
        ProducerRecord<String, String> again = new ProducerRecord<>(letter.originalTopic(), record.key(),
            record.value());
        for (Header header : record.headers()) {
            if (!header.key().startsWith("dead-letter-")) {
                again.headers().add(header);
            }
        }
        try {
            producer().send(again).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("replay not acknowledged: " + e.getMessage(), e);
        }
        LOG.infof("dead letter %d/%d replayed to %s", partition, offset, letter.originalTopic());
        return Optional.of(letter);
    }

    private Optional<ConsumerRecord<String, String>> read(int partition, long offset) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            TopicPartition topicPartition = new TopicPartition(Topics.DEAD_LETTERS, partition);
            if (partitions(consumer).stream().noneMatch(topicPartition::equals)) {
                return Optional.empty();
            }
            consumer.assign(List.of(topicPartition));
            long end = consumer.endOffsets(List.of(topicPartition)).get(topicPartition);
            if (offset < 0 || offset >= end) {
                return Optional.empty();
            }
            consumer.seek(topicPartition, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return Optional.of(record);
                    }
                }
            }
            return Optional.empty();
        }
    }

    private static DeadLetter view(ConsumerRecord<String, String> record) {
        String value = record.value();
        if (value != null && value.length() > 4000) {
            value = value.substring(0, 4000) + "...";
        }
        return new DeadLetter(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
            header(record, ORIGINAL_TOPIC), record.key(), header(record, REASON), header(record, CAUSE), value);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.DEAD_LETTERS, Duration.ofSeconds(10));
        return infos == null ? List.of()
            : infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    private KafkaConsumer<String, String> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config);
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
