package dev.handoff.contracts.events;

/**
 * No node could be provided for the task. Optional: {@code retryable} (true: transient, e.g. the cloud provider
 * answered 429/5xx or did not answer in time; false: permanent, e.g. invalid token, quota, invalid size; null: not
 * classified, treated as permanent) and {@code failureKind}, a short stable name of the cause.
 */
public record NodeFailed(String reason, Boolean retryable, String failureKind) implements EventPayload {

    /** Not classified, as published before classification existed. */
    public NodeFailed(String reason) {
        this(reason, null, null);
    }
}
