package dev.handoff.servicekit.outbox;

import dev.handoff.contracts.Envelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.common.AffectedEntities;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Remembers which events each consumer applied, in the consumer's own transaction. */
@ApplicationScoped
public class Inbox {

    /**
     * True the first time {@code consumer} sees this event, and records it in the current transaction; false
     * for a redelivery, which must then change nothing.
     */
    public Uni<Boolean> firstDelivery(String consumer, Envelope event) {
        return firstDeliveries(consumer, List.of(event)).map(firsts -> firsts.get(0));
    }

    /**
     * For each of {@code events} in order, whether it is the first time {@code consumer} sees it (an event id seen
     * before, or earlier in the list, is not), recording the new ones in the current transaction: one statement for
     * the whole list, whatever its length. A transaction that records the same id at the same moment makes this one
     * wait for its outcome (the primary key), so an event is first in one transaction only.
     */
    public Uni<List<Boolean>> firstDeliveries(String consumer, List<Envelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> ids = events.stream().map(event -> consumer + ":" + event.eventId()).toList();
        int distinct = new HashSet<>(ids).size();
        StringBuilder sql = new StringBuilder("insert into processed_event (id, type, processedAt) values ");
        int parameter = 1;
        for (int i = 0; i < distinct; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?").append(parameter++).append(", ?").append(parameter++)
                .append(", ?").append(parameter++).append(')');
        }
        sql.append(" on conflict (id) do nothing returning id");
        Instant now = Instant.now();
        return Panache.getSession().flatMap(session -> {
            var insert = session.createNativeQuery(sql.toString(), String.class,
                new AffectedEntities(ProcessedEvent.class));
            int next = 1;
            Set<String> typed = new HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                if (typed.add(ids.get(i))) {
                    insert.setParameter(next++, ids.get(i));
                    insert.setParameter(next++, events.get(i).type());
                    insert.setParameter(next++, now);
                }
            }
            return insert.getResultList();
        }).map(recorded -> {
            Set<String> fresh = new HashSet<>(recorded);
            List<Boolean> firsts = new ArrayList<>(ids.size());
            for (String id : ids) {
                firsts.add(fresh.remove(id));
            }
            return firsts;
        });
    }
}
