package dev.handoff.contracts.events;

/** A node dialled the gateway, proved its token and said hello. */
public record NodeConnected(String hostname, String agentVersion) implements EventPayload {
}
