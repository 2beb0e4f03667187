package dev.handoff.orchestrator.saga;

import java.time.Instant;

/**
 * The retries of the task's current step. {@code attempt} counts the attempts after the first failed transiently (0:
 * the first attempt, no failure yet); {@code retryAt}, when set, is when the step's command is due to be sent again
 * (persisted, so a restarted orchestrator keeps the schedule).
 */
public record StepRetry(int attempt, Instant retryAt) {

    /** The step's first attempt: nothing failed, no retry due. */
    public static final StepRetry FIRST_ATTEMPT = new StepRetry(0, null);

    /** The same attempt, with no command due again (the retry was sent, or the task left the step). */
    StepRetry withoutRetryDue() {
        return new StepRetry(attempt, null);
    }
}
