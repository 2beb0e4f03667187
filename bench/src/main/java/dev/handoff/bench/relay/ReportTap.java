package dev.handoff.bench.relay;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.EventType;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentOutput;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads {@code handoff.node-reports} beside chat-service and the orchestrator (no consumer group: it assigns every
 * partition and starts at the end) and keeps, for one task, each AgentOutput event's sequence, when the gateway
 * made it ({@code occurredAt}: it took the node's report) and when the outbox handed it to the producer (the
 * record's timestamp). With the node's send time and the stream's store time of the same chunk, this splits a
 * chunk's latency by hop.
 */
public final class ReportTap implements AutoCloseable {

    /** One AgentOutput event: the last chunk sequence it holds, and two wall-clock moments in epoch ms. */
    public record Output(long sequence, long takenAtMillis, long producedAtMillis) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Output> outputs = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile String taskId;
    private volatile boolean closed;

    public ReportTap(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(Topics.NODE_REPORTS)) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before any task of the run streams
        poller = new Thread(this::poll, "report-tap");
        poller.setDaemon(true);
        poller.start();
    }

    /** From now on keep the outputs of {@code task} (and forget those kept before). */
    public void follow(String task) {
        outputs.clear();
        taskId = task;
    }

    /** The followed task's outputs seen so far, in the order they were read. */
    public List<Output> outputs() {
        return List.copyOf(outputs);
    }

    private void poll() {
        while (!closed) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.key() == null || !record.key().equals(taskId)) {
                    continue;
                }
                Envelope event = EventCodec.decode(record.value(), null);
                if (event.eventType() == EventType.AGENT_OUTPUT) {
                    outputs.add(new Output(event.payload(AgentOutput.class).sequence(),
                        event.occurredAt().toEpochMilli(), record.timestamp()));
                }
            }
        }
        consumer.close();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        poller.join(5000);
    }
}
