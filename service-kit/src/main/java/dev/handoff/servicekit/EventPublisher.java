package dev.handoff.servicekit;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.KafkaHeaders;
import dev.handoff.contracts.Meters;
import dev.handoff.contracts.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Publishes envelopes to the topic their type belongs to, keyed by task id, with the trace context and
 * type in headers. Completes when the broker acknowledged the record (the channel uses acks=all).
 * Every service configures the outgoing channel {@value #CHANNEL}.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String CHANNEL = "events-out";

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    @Inject
    @Channel(CHANNEL)
    MutinyEmitter<String> emitter;

    @Inject
    MeterRegistry registry;

    public Uni<Void> publish(Envelope envelope) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.EVENT_TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
        if (envelope.traceparent() != null) {
            headers.add(KafkaHeaders.TRACEPARENT, envelope.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(envelope.topic())
            .withKey(envelope.kafkaKey())
            .withHeaders(headers)
            .build();
        return emitter.sendMessage(Message.of(EventCodec.encode(envelope)).addMetadata(metadata))
            .invoke(() -> LOG.debugf("published %s %s task=%s", envelope.type(), envelope.eventId(),
                envelope.taskId()));
    }

    /**
     * Publishes a record that is not a valid event as it was to the dead-letter topic, with {@code reason} and the
     * topic it was meant for in the headers SmallRye's dead-letter queue uses, so one place holds everything no
     * one could process. Counted by the topic it was meant for ({@code handoff_dead_letters_total}) once the broker
     * acknowledged it.
     */
    public Uni<Void> deadLetter(String intendedTopic, String key, String value, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", intendedTopic.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(Topics.DEAD_LETTERS)
            .withKey(key)
            .withHeaders(headers)
            .build();
        return emitter.sendMessage(Message.of(value).addMetadata(metadata))
            .invoke(() -> Counter.builder(Meters.DEAD_LETTERS.name()).tag("topic", intendedTopic)
                .description("Records published to the dead-letter topic, by the topic they were meant for")
                .register(registry).increment());
    }

    /** Publishes in order, each after the previous one was acknowledged. */
    public Uni<Void> publishAll(List<Envelope> envelopes) {
        return Multi.createFrom().iterable(envelopes)
            .onItem().transformToUniAndConcatenate(this::publish)
            .collect().last()
            .replaceWithVoid();
    }
}
