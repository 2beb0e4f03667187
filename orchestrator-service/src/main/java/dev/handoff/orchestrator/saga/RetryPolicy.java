package dev.handoff.orchestrator.saga;

import java.time.Duration;

/**
 * How a step that failed for a transient reason is tried again: at most {@code attempts} attempts in all (the
 * first included), the retry before attempt n after {@code baseDelay * 2^(n-2)}, capped at {@code maxDelay}, less
 * a random part of up to {@code jitter} of it (so tasks that failed together do not all retry together).
 */
public record RetryPolicy(int attempts, Duration baseDelay, Duration maxDelay, double jitter) {

    /** Three attempts, 5 s and 10 s apart (less up to a fifth). */
    public static final RetryPolicy DEFAULTS = new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofMinutes(1), 0.2);

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    /**
     * The wait before attempt {@code attempt} (2 or more); {@code random} in [0, 1) picks the jitter.
     */
    public Duration delayBefore(int attempt, double random) {
        long base = baseDelay.toMillis();
        long exponential = base << Math.min(Math.max(attempt - 2, 0), 20);
        long capped = Math.min(exponential, maxDelay.toMillis());
        return Duration.ofMillis(Math.round(capped * (1 - jitter * random)));
    }
}
