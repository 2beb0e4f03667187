package dev.handoff.servicekit.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long the outbox and the inbox keep their rows ({@code handoff.retention.*}). */
@ConfigMapping(prefix = "handoff.retention")
public interface RetentionConfig {

    /** A published outbox row is kept this long (for operators who look at what went out), then deleted. */
    @WithDefault("P7D")
    Duration outboxPublished();

    /**
     * An applied event id is remembered this long; a redelivery of an older event would be applied again, so keep
     * it well above the longest time a record can wait on a topic before a consumer re-reads it.
     */
    @WithDefault("P30D")
    Duration processedEvents();

    /** How often the rows past their time are deleted (a Quarkus scheduler interval, e.g. {@code 1h}). */
    @WithDefault("1h")
    String purgeInterval();

    /** How long after start the first purge waits (a Quarkus scheduler delay, e.g. {@code 30s}): out of startup's way. */
    @WithDefault("30s")
    String purgeDelay();
}
