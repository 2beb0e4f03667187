package dev.handoff.contracts.events;

/** The agent answered session/prompt: its turn ended with {@code stopReason} (end_turn, cancelled, ...). */
public record AgentTurnEnded(String agentSessionId, String stopReason, long lastSequence) implements EventPayload {
}
