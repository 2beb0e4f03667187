package dev.handoff.servicekit;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.KafkaHeaders;
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

    /** Publishes in order, each after the previous one was acknowledged. */
    public Uni<Void> publishAll(List<Envelope> envelopes) {
        return Multi.createFrom().iterable(envelopes)
            .onItem().transformToUniAndConcatenate(this::publish)
            .collect().last()
            .replaceWithVoid();
    }
}
