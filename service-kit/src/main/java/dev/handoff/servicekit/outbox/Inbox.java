package dev.handoff.servicekit.outbox;

import dev.handoff.contracts.Envelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Remembers which events each consumer applied, in the consumer's own transaction. */
@ApplicationScoped
public class Inbox {

    /**
     * True the first time {@code consumer} sees this event, and records it in the current transaction; false
     * for a redelivery, which must then change nothing.
     */
    public Uni<Boolean> firstDelivery(String consumer, Envelope event) {
        String id = consumer + ":" + event.eventId();
        return Panache.getSession().flatMap(session -> session.find(ProcessedEvent.class, id)
            .flatMap(seen -> {
                if (seen != null) {
                    return Uni.createFrom().item(false);
                }
                ProcessedEvent processed = new ProcessedEvent();
                processed.id = id;
                processed.type = event.type();
                processed.processedAt = Instant.now();
                return session.persist(processed).replaceWith(true);
            }));
    }
}
