package dev.handoff.contracts.events;

/** A node's connection to the gateway closed. */
public record NodeDisconnected(String reason) implements EventPayload {
}
