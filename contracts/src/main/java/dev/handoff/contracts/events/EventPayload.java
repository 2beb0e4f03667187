package dev.handoff.contracts.events;

/** Marker for the narrow payload of one event or command type. Each implementation is listed in {@link dev.handoff.contracts.EventType}. */
public interface EventPayload {
}
