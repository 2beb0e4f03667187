package dev.handoff.contracts.events;

/**
 * The follow-up prompt {@code promptId} was written to the agent's stdin as session/prompt of session
 * {@code agentSessionId}. {@code how}: {@code continued} (the agent that ran the last turn was still alive),
 * {@code loaded} (a new agent process loaded the earlier session with session/load) or {@code new_session} (a new
 * agent process in a new session: it does not remember the conversation).
 */
public record AgentPromptDelivered(String deliveryId, String promptId, String agentSessionId, String how)
    implements EventPayload {
}
