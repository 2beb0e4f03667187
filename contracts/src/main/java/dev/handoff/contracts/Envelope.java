package dev.handoff.contracts;

import dev.handoff.contracts.events.EventPayload;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * The one envelope of every event and command.
 *
 * @param eventId       unique id; consumers de-duplicate by it
 * @param type          logical type name (see {@link EventType})
 * @param schemaVersion version of the payload's schema
 * @param taskId        the task this belongs to; the Kafka key. Null only for node-scoped events
 * @param nodeId        the node this concerns, when there is one
 * @param causationId   the event or command that caused this one; null for a user's action
 * @param occurredAt    when the fact happened (or the command was issued)
 * @param payload       the narrow, typed payload
 * @param traceparent   W3C trace context; travels in the Kafka header, not in the value
 */
public record Envelope(UUID eventId, String type, int schemaVersion, String taskId, String nodeId,
                       UUID causationId, Instant occurredAt, EventPayload payload, String traceparent) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        if (taskId == null && nodeId == null) {
            throw new IllegalArgumentException("an envelope needs a taskId or a nodeId");
        }
    }

    /** A new envelope started by a user's action: no cause, a new trace. */
    public static Envelope first(EventPayload payload, String taskId) {
        EventType type = EventType.of(payload);
        return new Envelope(UUID.randomUUID(), type.logicalName(), type.schemaVersion(), taskId, null, null,
            Instant.now(), payload, newTraceparent());
    }

    /** A new envelope for a node-scoped fact with no task (connections, heartbeats). */
    public static Envelope forNode(EventPayload payload, String nodeId, Envelope cause) {
        EventType type = EventType.of(payload);
        return new Envelope(UUID.randomUUID(), type.logicalName(), type.schemaVersion(),
            cause == null ? null : cause.taskId(), nodeId, cause == null ? null : cause.eventId(), Instant.now(),
            payload, cause == null ? newTraceparent() : cause.traceparent());
    }

    /**
     * An envelope caused by an event known only by its id and trace (a command remembered across processes,
     * a node report naming the command it answers).
     */
    public static Envelope causedBy(UUID causationId, String taskId, String nodeId, String traceparent,
                                    EventPayload payload) {
        EventType type = EventType.of(payload);
        return new Envelope(UUID.randomUUID(), type.logicalName(), type.schemaVersion(), taskId, nodeId, causationId,
            Instant.now(), payload, traceparent != null ? traceparent : newTraceparent());
    }

    /** The next envelope in the same task, caused by this one; same task, node and trace. */
    public Envelope next(EventPayload nextPayload) {
        return next(nextPayload, nodeId);
    }

    /** The next envelope in the same task, caused by this one, concerning {@code nextNodeId}. */
    public Envelope next(EventPayload nextPayload, String nextNodeId) {
        EventType nextType = EventType.of(nextPayload);
        return new Envelope(UUID.randomUUID(), nextType.logicalName(), nextType.schemaVersion(), taskId, nextNodeId,
            eventId, Instant.now(), nextPayload, traceparent);
    }

    /** The Kafka record key: the task id, or the node id for node-scoped events. */
    public String kafkaKey() {
        return taskId != null ? taskId : nodeId;
    }

    public EventType eventType() {
        return EventType.byName(type).orElseThrow();
    }

    public String topic() {
        return eventType().topic();
    }

    public <P extends EventPayload> P payload(Class<P> payloadClass) {
        return payloadClass.cast(payload);
    }

    public Envelope withTraceparent(String newTraceparent) {
        return new Envelope(eventId, type, schemaVersion, taskId, nodeId, causationId, occurredAt, payload,
            newTraceparent);
    }

    static String newTraceparent() {
        byte[] traceId = new byte[16];
        byte[] spanId = new byte[8];
        RANDOM.nextBytes(traceId);
        RANDOM.nextBytes(spanId);
        HexFormat hex = HexFormat.of();
        return "00-" + hex.formatHex(traceId) + "-" + hex.formatHex(spanId) + "-01";
    }
}
