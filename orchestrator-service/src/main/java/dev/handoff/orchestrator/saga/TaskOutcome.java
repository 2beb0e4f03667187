package dev.handoff.orchestrator.saga;

/**
 * How the task's work ended so far: {@code stopReason} is why the agent's last turn ended, {@code failureReason} why
 * the task failed or was cancelled; each null until then.
 */
public record TaskOutcome(String stopReason, String failureReason) {

    /** No turn ended, nothing failed. */
    public static final TaskOutcome NONE = new TaskOutcome(null, null);

    TaskOutcome withStopReason(String reason) {
        return new TaskOutcome(reason, failureReason);
    }

    TaskOutcome withFailureReason(String reason) {
        return new TaskOutcome(stopReason, reason);
    }
}
