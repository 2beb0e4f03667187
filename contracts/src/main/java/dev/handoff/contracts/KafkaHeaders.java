package dev.handoff.contracts;

/** Kafka header names Handoff sets on every record. */
public final class KafkaHeaders {

    /** W3C trace context of the task the record belongs to. */
    public static final String TRACEPARENT = "traceparent";

    /** The envelope's logical type, so tools can filter without parsing the value. */
    public static final String EVENT_TYPE = "handoff-event-type";

    private KafkaHeaders() {
    }
}
