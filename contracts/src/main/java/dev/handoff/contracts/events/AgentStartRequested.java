package dev.handoff.contracts.events;

/**
 * Command to the node: start {@code agent} in the workspace and deliver {@code prompt} as its first
 * session/prompt. {@code deliveryId} identifies this one prompt delivery.
 */
public record AgentStartRequested(String workspaceId, String deliveryId, String agent, String prompt)
    implements EventPayload {
}
