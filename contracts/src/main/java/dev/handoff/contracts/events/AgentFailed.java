package dev.handoff.contracts.events;

/** The agent could not be started, or died. */
public record AgentFailed(String deliveryId, String reason) implements EventPayload {
}
