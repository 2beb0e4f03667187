package dev.handoff.contracts.events;

/** The node could not create the workspace. */
public record WorkspaceFailed(String workspaceId, String reason) implements EventPayload {
}
