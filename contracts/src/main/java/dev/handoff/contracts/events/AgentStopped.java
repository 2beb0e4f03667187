package dev.handoff.contracts.events;

/**
 * The node stopped the agent of {@code deliveryId} as asked: {@code how} is {@code cancelled} (the agent
 * answered session/cancel within the grace period), {@code killed} (its process tree was killed) or
 * {@code not_running} (there was no such agent). {@code workspaceCleaned} tells whether the workspace was deleted.
 */
public record AgentStopped(String deliveryId, String how, boolean workspaceCleaned) implements EventPayload {
}
