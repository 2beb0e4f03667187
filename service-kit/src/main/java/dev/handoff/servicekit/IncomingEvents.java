package dev.handoff.servicekit;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.InvalidEventException;
import dev.handoff.contracts.KafkaHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/** Reads a consumed Kafka record as an envelope. */
public final class IncomingEvents {

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
}
