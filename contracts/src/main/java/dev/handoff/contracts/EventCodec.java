package dev.handoff.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.events.EventPayload;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Turns envelopes into the JSON record value and back. The only place the wire format is written. */
public final class EventCodec {

    private EventCodec() {
    }

    public static String encode(Envelope envelope) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("eventId", envelope.eventId().toString());
        json.put("type", envelope.type());
        json.put("schemaVersion", envelope.schemaVersion());
        json.put("taskId", envelope.taskId());
        json.put("nodeId", envelope.nodeId());
        json.put("causationId", envelope.causationId() == null ? null : envelope.causationId().toString());
        json.put("occurredAt", envelope.occurredAt().toString());
        json.set("payload", Json.MAPPER.valueToTree(envelope.payload()));
        try {
            return Json.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + envelope.type(), e);
        }
    }

    /**
     * Reads a record value. {@code traceparent} comes from the record's header (may be null). The payload is
     * checked against its type's JSON Schema ({@link EventSchemas}).
     *
     * @throws InvalidEventException when the value is not a valid event of a known type and version
     */
    public static Envelope decode(String value, String traceparent) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(value);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("not JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new InvalidEventException("not a JSON object");
        }
        String typeName = text(json, "type", true);
        EventType type = EventType.byName(typeName)
            .orElseThrow(() -> new InvalidEventException("unknown event type '" + typeName + "'"));
        int version = json.path("schemaVersion").asInt(-1);
        if (version < 1 || version > type.schemaVersion()) {
            throw new InvalidEventException(
                "unsupported schemaVersion " + json.path("schemaVersion") + " of " + typeName);
        }
        JsonNode payloadJson = json.get("payload");
        if (payloadJson == null || !payloadJson.isObject()) {
            throw new InvalidEventException(typeName + " has no payload object");
        }
        EventSchemas.validatePayload(typeName, version, payloadJson);
        try {
            EventPayload payload = Json.MAPPER.treeToValue(payloadJson, type.payloadClass());
            String causation = text(json, "causationId", false);
            return new Envelope(UUID.fromString(text(json, "eventId", true)), typeName, version,
                text(json, "taskId", false), text(json, "nodeId", false),
                causation == null ? null : UUID.fromString(causation),
                Instant.parse(text(json, "occurredAt", true)), payload, traceparent);
        } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidEventException("invalid " + typeName + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode json, String field, boolean required) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidEventException("missing field '" + field + "'");
            }
            return null;
        }
        return node.asText();
    }
}
