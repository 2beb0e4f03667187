package dev.handoff.contracts.events;

/** The node cloned the repository; {@code path} is the workspace directory on the node. */
public record WorkspaceReady(String workspaceId, String path) implements EventPayload {
}
