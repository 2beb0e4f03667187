package dev.handoff.servicekit.outbox;

import dev.handoff.contracts.Meters;
import dev.handoff.servicekit.SafeContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox's backlog as metrics: how many events wait to be published and how old the oldest is. Read from the
 * database every {@code handoff.metrics.outbox-interval} (a scrape never waits for a query); every replica reads
 * the same shared table, so each reports the service's whole backlog. A relay that cannot reach the broker shows as
 * a growing age (alert rule `HandoffOutboxStuck` in deploy/observability).
 */
@ApplicationScoped
public class OutboxBacklog {

    static final String PENDING = Meters.OUTBOX_PENDING.name();
    static final String OLDEST_AGE = Meters.OUTBOX_OLDEST_PENDING_AGE.name();

    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestCreatedAtMillis = new AtomicLong();

    @Inject
    MeterRegistry registry;

    void register(@Observes StartupEvent startup) {
        Gauge.builder(PENDING, pending, AtomicLong::get)
            .description("Events staged in the outbox and not yet acknowledged by the broker")
            .register(registry);
        Gauge.builder(OLDEST_AGE, this, OutboxBacklog::oldestAgeSeconds)
            .description("Age of the oldest event waiting in the outbox (0 when none waits)")
            .baseUnit("seconds")
            .register(registry);
    }

    @Scheduled(every = "${handoff.metrics.outbox-interval:10s}", delayed = "1s",
        concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        SafeContext.run(null, "outbox backlog", this::read);
    }

    Uni<Void> read() {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createSelectionQuery("select count(*), min(createdAt) from OutboxEvent where publishedAt is null",
                    Object[].class)
                .getSingleResult()))
            .invoke(row -> {
                pending.set(((Number) row[0]).longValue());
                oldestCreatedAtMillis.set(row[1] == null ? 0 : ((Instant) row[1]).toEpochMilli());
            })
            .replaceWithVoid();
    }

    double oldestAgeSeconds() {
        long oldest = oldestCreatedAtMillis.get();
        return oldest == 0 ? 0 : Math.max(0, Duration.between(Instant.ofEpochMilli(oldest), Instant.now()).toMillis()
            / 1000.0);
    }
}
