package dev.handoff.contracts.events;

/** A node is connected to the gateway and assigned to the task. {@code reused} when it was already running. */
public record NodeReady(String provider, boolean reused) implements EventPayload {
}
