package dev.handoff.orchestrator.config;

import dev.handoff.orchestrator.saga.RetryPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How a step (node, workspace, agent start) that failed for a transient reason is tried again: exponential
 * backoff with jitter, always within the step's own deadline ({@link DeadlineConfig}).
 */
@ConfigMapping(prefix = "handoff.retries")
public interface RetryConfig {

    /** Attempts per step in all, the first included; 1 turns retries off. */
    @WithDefault("3")
    int attempts();

    /** The wait before the second attempt; it doubles for each further one. */
    @WithDefault("PT5S")
    Duration baseDelay();

    /** The longest wait between two attempts. */
    @WithDefault("PT1M")
    Duration maxDelay();

    /** Up to this part of each wait is taken off at random (0: none, 1: anything down to no wait). */
    @WithDefault("0.2")
    double jitter();

    default RetryPolicy policy() {
        return new RetryPolicy(attempts(), baseDelay(), maxDelay(), jitter());
    }
}
