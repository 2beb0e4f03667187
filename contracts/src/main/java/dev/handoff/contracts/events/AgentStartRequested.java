package dev.handoff.contracts.events;

/**
 * Command to the node: start {@code agent} in the workspace and deliver {@code prompt} as its first
 * session/prompt. {@code deliveryId} identifies this one prompt delivery. {@code permissionPolicy} (optional,
 * null = {@code allow}): {@code ask} relays the agent's permission requests to the user.
 */
public record AgentStartRequested(String workspaceId, String deliveryId, String agent, String prompt,
                                  String permissionPolicy) implements EventPayload {

    public AgentStartRequested(String workspaceId, String deliveryId, String agent, String prompt) {
        this(workspaceId, deliveryId, agent, prompt, null);
    }
}
