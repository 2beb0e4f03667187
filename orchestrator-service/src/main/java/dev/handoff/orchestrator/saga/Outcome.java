package dev.handoff.orchestrator.saga;

/**
 * How the task's work ended so far: {@code stopReason} is why the agent's last turn ended, {@code failureReason} why
 * the task failed or was cancelled; each null until then.
 */
public record Outcome(String stopReason, String failureReason) {

    /** No turn ended, nothing failed. */
    public static final Outcome NONE = new Outcome(null, null);

    Outcome withStopReason(String reason) {
        return new Outcome(reason, failureReason);
    }

    Outcome withFailureReason(String reason) {
        return new Outcome(stopReason, reason);
    }
}
