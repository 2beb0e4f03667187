package dev.handoff.servicekit.outbox;

import dev.handoff.servicekit.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Keeps the outbox and the inbox from growing forever: deletes published outbox rows and applied-event records
 * older than {@link RetentionConfig}. Pending outbox rows are never deleted, whatever their age.
 */
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class);

    @Inject
    RetentionConfig config;

    @Scheduled(every = "${handoff.retention.purge-interval:1h}", delayed = "${handoff.retention.purge-delay:30s}",
        concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        SafeContext.run(null, "event retention", this::purgeOnce);
    }

    /** Deletes what is past its time, in one transaction. */
    Uni<Void> purgeOnce() {
        Instant now = Instant.now();
        Instant publishedBefore = now.minus(config.outboxPublished());
        Instant processedBefore = now.minus(config.processedEvents());
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createMutationQuery("delete from OutboxEvent where publishedAt is not null and publishedAt < ?1")
                .setParameter(1, publishedBefore).executeUpdate()
                .flatMap(published -> session
                    .createMutationQuery("delete from ProcessedEvent where processedAt < ?1")
                    .setParameter(1, processedBefore).executeUpdate()
                    .invoke(processed -> {
                        if (published > 0 || processed > 0) {
                            LOG.infof("retention: deleted %d published outbox rows and %d applied-event records",
                                published, processed);
                        }
                    }))))
            .replaceWithVoid();
    }
}
