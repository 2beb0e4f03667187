package dev.handoff.servicekit;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.InvalidEventException;
import dev.handoff.contracts.KafkaHeaders;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/** Reads a consumed Kafka record as an envelope. */
public final class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    private IncomingEvents() {
    }

    /**
     * @throws InvalidEventException when the record is not a valid event; the channel's dead-letter
     *                               failure strategy then moves it to the dead-letter topic
     */
    public static Envelope decode(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new InvalidEventException("record without value at " + record.topic() + "/" + record.partition()
                + "@" + record.offset());
        }
        Header traceparent = record.headers().lastHeader(KafkaHeaders.TRACEPARENT);
        return EventCodec.decode(record.value(),
            traceparent == null ? null : new String(traceparent.value(), StandardCharsets.UTF_8));
    }

    /**
     * A consumer's answer to a valid event of a type it has no use for (topics carry several types): nothing to do,
     * said at debug level so that it is never dropped without a trace. An event of a type no contract knows never
     * gets here: {@link #decode} refuses it and the channel dead-letters it with the reason.
     */
    public static Uni<Void> ignored(String consumer, Envelope event) {
        LOG.debugf("%s: %s %s of task %s is not for it; ignored", consumer, event.type(), event.eventId(),
            event.taskId());
        return Uni.createFrom().voidItem();
    }
}
