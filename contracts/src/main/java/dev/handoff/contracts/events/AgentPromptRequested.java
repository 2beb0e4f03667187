package dev.handoff.contracts.events;

/**
 * Command to the node: write {@code prompt} as the next session/prompt of the agent of delivery {@code deliveryId}
 * in workspace {@code workspaceId}. {@code promptId} identifies this one prompt: a redelivered command never writes
 * it twice. When that agent process is gone, the node starts {@code agent} again in the workspace and loads ACP
 * session {@code agentSessionId} (or opens a new session when the agent cannot load it); its output then continues
 * after sequence {@code afterSequence}. {@code permissionPolicy} as in {@link AgentStartRequested}.
 */
public record AgentPromptRequested(String workspaceId, String deliveryId, String promptId, String agent,
                                   String prompt, String agentSessionId, long afterSequence,
                                   String permissionPolicy) implements EventPayload {
}
