package dev.handoff.provisioner.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/** Running cost: price per hour times the hours between two instants (to the second). */
public final class NodeCosts {

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private NodeCosts() {
    }

    /** The cost of {@code from}..{@code to} (to: null means {@code now}), rounded to 1/10000 of the currency. */
    public static BigDecimal between(BigDecimal hourlyPrice, Instant from, Instant to, Instant now) {
        if (hourlyPrice == null || from == null) {
            return BigDecimal.ZERO.setScale(4);
        }
        Instant end = to != null ? to : now;
        long seconds = Math.max(0, Duration.between(from, end).toSeconds());
        return hourlyPrice.multiply(BigDecimal.valueOf(seconds)).divide(SECONDS_PER_HOUR, 4, RoundingMode.HALF_UP);
    }
}
