package dev.handoff.servicekit.outbox;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.InvalidEventException;
import dev.handoff.contracts.Topics;
import dev.handoff.servicekit.CrashPoints;
import dev.handoff.servicekit.EventPublisher;
import dev.handoff.servicekit.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.hibernate.LockMode;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The transactional outbox. {@link #stage} writes events in the caller's transaction, so they exist exactly when
 * the state change they report committed; the relay publishes them in order right after commit
 * ({@link #publishSoon}) and, as a safety net, on a periodic sweep. Publishing is at least once: consumers
 * de-duplicate by event id.
 */
@ApplicationScoped
public class Outbox {

    static final int BATCH = 200;

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    private final AtomicBoolean relaying = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    @Inject
    EventPublisher publisher;

    /**
     * Writes the events in the current transaction, in their order: one statement for the whole list (the
     * position column numbers the rows in the order of the statement's values), so a transaction that causes many
     * events pays one round trip for them, not one each.
     */
    public Uni<Void> stage(List<Envelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        StringBuilder sql = new StringBuilder(
            "insert into outbox_event (eventId, topic, kafkaKey, type, value, traceparent, createdAt) values ");
        int parameter = 1;
        for (int i = 0; i < events.size(); i++) {
            sql.append(i == 0 ? "(" : ", (");
            for (int column = 0; column < STAGED_COLUMNS; column++) {
                sql.append(column == 0 ? "?" : ", ?").append(parameter++);
            }
            sql.append(')');
        }
        Instant now = Instant.now();
        return Panache.getSession().flatMap(session -> {
            var insert = session.createNativeMutationQuery(sql.toString());
            int next = 1;
            for (Envelope event : events) {
                insert.setParameter(next++, event.eventId());
                insert.setParameter(next++, event.topic());
                insert.setParameter(next++, event.kafkaKey());
                insert.setParameter(next++, event.type());
                insert.setParameter(next++, EventCodec.encode(event));
                insert.setParameter(next++, event.traceparent());
                insert.setParameter(next++, now);
            }
            return insert.executeUpdate();
        }).replaceWithVoid();
    }

    /** The columns {@link #stage} writes per event. */
    private static final int STAGED_COLUMNS = 7;

    /** Publishes what is pending as soon as possible, without waiting; call after a commit. */
    public void publishSoon() {
        if (stopping.get()) {
            return;
        }
        again.set(true);
        if (relaying.compareAndSet(false, true)) {
            SafeContext.run(null, "outbox relay", this::drain)
                .whenComplete((v, f) -> {
                    relaying.set(false);
                    if (again.get()) {
                        publishSoon();
                    }
                });
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping.set(true);
    }

    /** The safety net: events left by a crash between commit and publish, or by a broker outage. */
    @Scheduled(every = "${handoff.outbox.sweep-interval:2s}", delayed = "2s",
        concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        publishSoon();
    }

    private Uni<Void> drain() {
        again.set(false);
        return publishBatch().flatMap(count -> count == BATCH ? drain() : Uni.createFrom().voidItem());
    }

    /**
     * Publishes one batch of pending events, marking them published; returns how many. The records are handed to
     * the producer in order, all at once, and the batch commits once the broker acknowledged every one of them: one
     * broker round trip for the batch, not one per event. The channel's producer is idempotent, so it keeps their
     * order on the partition. If any fails, none is marked and the whole batch goes out again later (consumers
     * de-duplicate by event id). The rows are marked published with one statement.
     */
    Uni<Integer> publishBatch() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createQuery("from OutboxEvent where publishedAt is null order by position", OutboxEvent.class)
                .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                .setMaxResults(BATCH)
                .getResultList()
            .flatMap(pending -> {
                if (pending.isEmpty()) {
                    return Uni.createFrom().item(0);
                }
                List<Uni<Void>> sends = pending.stream().map(this::publish).toList();
                return Uni.join().all(sends).andFailFast().flatMap(v -> {
                    pending.forEach(row -> CrashPoints.reached("published", row.type));
                    return session.createMutationQuery(
                            "update OutboxEvent set publishedAt = ?1 where position in ?2")
                        .setParameter(1, Instant.now())
                        .setParameter(2, pending.stream().map(row -> row.position).toList())
                        .executeUpdate();
                }).replaceWith(pending.size());
            })));
    }

    private Uni<Void> publish(OutboxEvent row) {
        Envelope envelope;
        try {
            envelope = EventCodec.decode(row.value, row.traceparent);
        } catch (InvalidEventException e) {
            LOG.errorf("outbox row %d (%s) is not a valid event; it goes to %s: %s", row.position, row.type,
                Topics.DEAD_LETTERS, e.getMessage());
            return publisher.deadLetter(row.topic, row.kafkaKey, row.value,
                "outbox row " + row.position + " is not a valid event: " + e.getMessage());
        }
        return publisher.publish(envelope);
    }
}
