package dev.handoff.contracts.events;

/** The user answered permission request {@code requestId} with option {@code optionId} (one of its options). */
public record PermissionAnswered(String requestId, String optionId) implements EventPayload {
}
