package dev.handoff.contracts.events;

/**
 * The agent process accepted session/new and the prompt was written to its stdin as session/prompt.
 * Never emitted before both happened.
 */
public record AgentStarted(String deliveryId, String agentSessionId, String agent) implements EventPayload {
}
