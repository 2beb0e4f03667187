package dev.handoff.e2e;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.InvalidEventException;
import dev.handoff.contracts.KafkaHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Reads what is on Handoff's topics, as an operator with a console consumer would, and publishes events. */
final class KafkaTopics {

    /** One record as it sits on the broker. */
    record Recorded(String topic, String key, Envelope event) {
    }

    private KafkaTopics() {
    }

    /**
     * Every Handoff event on {@code topics} from the beginning up to the current end, in offset order per partition.
     * Records that are not valid events are left out.
     */
    static List<Recorded> readAll(String bootstrapServers, String... topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Recorded> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reached(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Header trace = record.headers().lastHeader(KafkaHeaders.TRACEPARENT);
                    try {
                        records.add(new Recorded(record.topic(), record.key(), EventCodec.decode(record.value(),
                            trace == null ? null : new String(trace.value(), StandardCharsets.UTF_8))));
                    } catch (InvalidEventException notAnEvent) {
                        // poison published by another test; not one of Handoff's events
                    }
                }
            }
        }
        return records;
    }

    /** Publishes {@code events} on their topics as the services that own them would, waiting for the broker. */
    static void publish(String bootstrapServers, Envelope... events) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (var producer = new KafkaProducer<String, String>(props)) {
            for (Envelope event : events) {
                var record = new ProducerRecord<>(event.topic(), event.kafkaKey(), EventCodec.encode(event));
                record.headers().add(KafkaHeaders.EVENT_TYPE, event.type().getBytes(StandardCharsets.UTF_8));
                record.headers().add(KafkaHeaders.TRACEPARENT, event.traceparent().getBytes(StandardCharsets.UTF_8));
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
