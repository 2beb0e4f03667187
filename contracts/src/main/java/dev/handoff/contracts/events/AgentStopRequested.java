package dev.handoff.contracts.events;

/**
 * Command to the node: stop the agent of delivery {@code deliveryId} (ACP session/cancel, then kill its process
 * tree) and, when {@code cleanWorkspace}, delete workspace {@code workspaceId} and the agent's home.
 * {@code deliveryId} may be null when no agent was started yet; the node then only cleans.
 */
public record AgentStopRequested(String deliveryId, String workspaceId, String reason, boolean cleanWorkspace)
    implements EventPayload {
}
