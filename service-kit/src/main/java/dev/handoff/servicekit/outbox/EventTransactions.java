package dev.handoff.servicekit.outbox;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.InvalidEventException;
import dev.handoff.servicekit.CrashPoints;
import dev.handoff.servicekit.TaskLogContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way Handoff services change state: in one transaction, the effect, the events it causes (outbox) and,
 * for a consumed event, the record that it was applied (inbox). Events are published right after commit.
 */
@ApplicationScoped
public class EventTransactions {

    private static final Logger LOG = Logger.getLogger(EventTransactions.class);

    /** What a unit of work produced: a result for the caller and the events to publish. */
    public record Outcome<T>(T result, List<Envelope> events) {
        public static <T> Outcome<T> of(T result, List<Envelope> events) {
            return new Outcome<>(result, events);
        }

        public static Outcome<Void> events(List<Envelope> events) {
            return new Outcome<>(null, events);
        }

        public static Outcome<Void> none() {
            return new Outcome<>(null, List.of());
        }
    }

    /** A transaction that lost a race (optimistic lock, duplicate key) is run again from the start, this often. */
    static final int CONFLICT_RETRIES = 5;
    static final Duration CONFLICT_BACKOFF = Duration.ofMillis(20);

    /**
     * A consumed event whose work failed for any reason but being invalid (a race, the database briefly away) is
     * tried again this often, with backoff up to {@link #RETRY_BACKOFF_MAX} (about a minute in all), before the
     * channel sends it to the dead-letter topic.
     */
    static final int CONSUMER_RETRIES = 12;
    static final Duration RETRY_BACKOFF = Duration.ofMillis(50);
    static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(10);

    /**
     * A batch ({@link #applyAllOnce}) is tried again only this often (races: a few hundred milliseconds in all); the
     * caller then applies its events one by one, each with {@link #CONSUMER_RETRIES}.
     */
    static final int BATCH_RETRIES = 4;

    /** PostgreSQL's SQLSTATE for a unique key violation. */
    static final String UNIQUE_VIOLATION = "23505";

    @Inject
    Inbox inbox;

    @Inject
    Outbox outbox;

    /**
     * Applies {@code incoming} once for {@code consumer}: a redelivered event id is skipped (null result). The
     * work's events commit with its effect and the inbox record. What it logs names the event's task
     * ({@link TaskLogContext}).
     */
    public <T> Uni<T> applyOnce(String consumer, Envelope incoming, Supplier<Uni<Outcome<T>>> work) {
        return TaskLogContext.around(incoming.taskId(), () -> applyOnceWithin(consumer, incoming, work));
    }

    private <T> Uni<T> applyOnceWithin(String consumer, Envelope incoming, Supplier<Uni<Outcome<T>>> work) {
        return Panache.withTransaction(() -> inbox.firstDelivery(consumer, incoming).flatMap(first -> {
                if (!first) {
                    LOG.debugf("%s: %s %s already applied", consumer, incoming.type(), incoming.eventId());
                    return Uni.createFrom().item(Outcome.<T>of(null, List.of()));
                }
                return work.get().flatMap(outcome -> outbox.stage(outcome.events()).replaceWith(outcome));
            }))
            .onFailure(EventTransactions::isRetryable).retry()
            .withBackOff(RETRY_BACKOFF, RETRY_BACKOFF_MAX).atMost(CONSUMER_RETRIES)
            .invoke(outcome -> {
                CrashPoints.reached("applied", incoming.type());
                afterCommit(outcome);
            })
            .map(Outcome::result);
    }

    /**
     * Applies each of {@code incoming} once for {@code consumer}, all in one transaction and in order: the inbox
     * records, every effect and every event they cause commit together, or nothing does. A redelivered event id is
     * skipped (a null result). For a burst of small events (agent output) this is one commit instead of one
     * each, and one inbox statement for all of them ({@link Inbox#firstDeliveries}); retried like {@link #applyOnce}, so a caller that must not lose the others to one bad event applies them
     * one by one after a failure.
     *
     * @param attempt gives the work for one attempt (it may keep state across the events of that attempt: the
     *                entities it holds belong to the attempt's session), called again for each retry
     */
    public <T> Uni<List<T>> applyAllOnce(String consumer, List<Envelope> incoming,
                                         Supplier<Function<Envelope, Uni<Outcome<T>>>> attempt) {
        return Uni.createFrom().deferred(() -> {
            Function<Envelope, Uni<Outcome<T>>> work = attempt.get();
            return Panache.withTransaction(() -> inbox.firstDeliveries(consumer, incoming)
                .flatMap(firsts -> Multi.createFrom().range(0, incoming.size())
                    .onItem().transformToUniAndConcatenate(i -> firsts.get(i)
                        ? TaskLogContext.around(incoming.get(i).taskId(), () -> work.apply(incoming.get(i)))
                        : Uni.createFrom().item(Outcome.<T>of(null, List.of())))
                    .collect().asList())
                .flatMap(outcomes -> {
                    List<Envelope> events = outcomes.stream().flatMap(o -> o.events().stream()).toList();
                    return outbox.stage(events).replaceWith(outcomes);
                }));
            })
            .onFailure(EventTransactions::isRetryable).retry()
            .withBackOff(RETRY_BACKOFF, RETRY_BACKOFF_MAX).atMost(BATCH_RETRIES)
            .invoke(outcomes -> {
                incoming.forEach(event -> CrashPoints.reached("applied", event.type()));
                List<Envelope> events = outcomes.stream().flatMap(o -> o.events().stream()).toList();
                afterCommit(Outcome.events(events));
            })
            .map(outcomes -> outcomes.stream().map(Outcome::result).toList());
    }

    /**
     * Whether a failure is a lost race with a concurrent transaction: another writer changed the row
     * (optimistic lock) or inserted the same key first. Running the work again reads the new state.
     */
    static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException
                || t instanceof org.hibernate.StaleStateException
                || t instanceof org.hibernate.exception.ConstraintViolationException violation
                && UNIQUE_VIOLATION.equals(violation.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Everything but an invalid event, which no retry can mend. */
    static boolean isRetryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidEventException) {
                return false;
            }
        }
        return true;
    }

    /**
     * Applies a consumed event whose effect is idempotent by itself, so it keeps no inbox record (a heartbeat:
     * a node's last-seen time only moves forward): committed like {@link #commit}, and retried like
     * {@link #applyOnce} when the database is away, instead of failing the event to the dead letters at once.
     */
    public <T> Uni<T> applyIdempotent(Supplier<Uni<Outcome<T>>> work) {
        return Panache.withTransaction(() -> work.get().flatMap(outcome -> outbox.stage(outcome.events())
                .replaceWith(outcome)))
            .onFailure(EventTransactions::isRetryable).retry()
            .withBackOff(RETRY_BACKOFF, RETRY_BACKOFF_MAX).atMost(CONSUMER_RETRIES)
            .invoke(this::afterCommit)
            .map(Outcome::result);
    }

    /** Runs work started by a user or a node (not a consumed event): its events commit with its effect. */
    public <T> Uni<T> commit(Supplier<Uni<Outcome<T>>> work) {
        return Panache.withTransaction(() -> work.get().flatMap(outcome -> outbox.stage(outcome.events())
                .replaceWith(outcome)))
            .onFailure(EventTransactions::isConflict).retry().withBackOff(CONFLICT_BACKOFF).atMost(CONFLICT_RETRIES)
            .invoke(this::afterCommit)
            .map(Outcome::result);
    }

    /** The events committed: hands them to the relay (test crash points first: committed, not yet published). */
    private void afterCommit(Outcome<?> outcome) {
        if (outcome.events().isEmpty()) {
            return;
        }
        outcome.events().forEach(event -> CrashPoints.reached("committed", event.type()));
        outbox.publishSoon();
    }
}
