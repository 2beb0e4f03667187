package dev.handoff.contracts.events;

/** Command to the node: clone {@code repositoryUrl} at {@code branch} into a new workspace. */
public record WorkspaceRequested(String workspaceId, String repositoryUrl, String branch) implements EventPayload {
}
