package dev.handoff.contracts.events;

/**
 * The user answered permission request {@code requestId} with option {@code optionId} (one of its options).
 * {@code stillPending}: how many of the task's other permission requests still wait for an answer after this one
 * (optional; absent counts as none), so the agent is shown at work again only when it waits for nothing more.
 */
public record PermissionAnswered(String requestId, String optionId, Integer stillPending) implements EventPayload {

    public PermissionAnswered(String requestId, String optionId) {
        this(requestId, optionId, null);
    }

    /** Whether other requests of the task still wait for the user. */
    public boolean othersPending() {
        return stillPending != null && stillPending > 0;
    }
}
