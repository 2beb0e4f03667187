package dev.handoff.contracts.events;

/**
 * The node cloned the repository; {@code path} is the workspace directory on the node. Optional:
 * {@code runtime} is where the agent runs ({@code directory} or {@code devcontainer}), {@code runtimeReason} why
 * (e.g. "plain directory: .devcontainer/devcontainer.json found, but no Docker engine reachable on this node").
 */
public record WorkspaceReady(String workspaceId, String path, String runtime, String runtimeReason)
    implements EventPayload {

    /** Without runtime, as published before runtimes existed. */
    public WorkspaceReady(String workspaceId, String path) {
        this(workspaceId, path, null, null);
    }
}
