package dev.handoff.contracts.events;

/**
 * The node could not create the workspace. Optional, set by the node that classified the failure:
 * {@code retryable} (true: transient, e.g. the git server was unreachable or answered 5xx/429, a retry may work;
 * false: permanent, e.g. the repository or branch does not exist or authentication failed; null: not classified,
 * treated as permanent) and {@code failureKind}, a short stable name of the cause ({@code network},
 * {@code server_error}, {@code timeout}, {@code not_found}, {@code authentication}, {@code invalid_request}, ...).
 */
public record WorkspaceFailed(String workspaceId, String reason, Boolean retryable, String failureKind)
    implements EventPayload {

    /** Not classified, as published before classification existed. */
    public WorkspaceFailed(String workspaceId, String reason) {
        this(workspaceId, reason, null, null);
    }
}
