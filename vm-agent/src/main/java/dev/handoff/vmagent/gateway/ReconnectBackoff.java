package dev.handoff.vmagent.gateway;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff between reconnect attempts: doubles from {@code initial} up to {@code max}, with jitter. */
public final class ReconnectBackoff {

    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(5);

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    public ReconnectBackoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    public static ReconnectBackoff withDefaults() {
        return new ReconnectBackoff(DEFAULT_INITIAL, DEFAULT_MAX);
    }

    /** The delay before the next attempt: between half and all of the current step, so nodes do not reconnect in lockstep. */
    public synchronized Duration nextDelay() {
        long step = nextMillis;
        nextMillis = Math.min(nextMillis * 2, maxMillis);
        long half = step / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(step - half + 1));
    }

    /** Called after a successful Welcome: the next outage starts again from the initial delay. */
    public synchronized void reset() {
        nextMillis = initialMillis;
    }
}
