package dev.handoff.contracts.events;

/** No node could be provided for the task. */
public record NodeFailed(String reason) implements EventPayload {
}
