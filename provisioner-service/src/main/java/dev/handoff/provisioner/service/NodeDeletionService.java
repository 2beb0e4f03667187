package dev.handoff.provisioner.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.NodeDeleted;
import dev.handoff.contracts.events.NodeLost;
import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.provider.NodeProviders;
import dev.handoff.provisioner.repository.Node;
import dev.handoff.provisioner.repository.NodeRepository;
import dev.handoff.provisioner.repository.NodeRequest;
import dev.handoff.servicekit.SafeContext;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deletes nodes through their provider: idle ones whose warm time or lifetime is over (a periodic sweep), and the
 * ones a user deletes. In three steps: the node is marked DELETING (so no task claims it; an optimistic lock makes
 * a concurrent claim win or lose cleanly), the provider deletes it, then DELETED commits with NodeDeleted (the
 * gateway then refuses it). A provider failure leaves it DELETING and the next sweep tries again.
 */
@ApplicationScoped
public class NodeDeletionService {

    private static final Logger LOG = Logger.getLogger(NodeDeletionService.class);

    @Inject
    NodeRepository nodes;

    @Inject
    WarmPool pool;

    @Inject
    NodeProviders providers;

    @Inject
    EventTransactions transactions;

    private final AtomicBoolean sweeping = new AtomicBoolean();

    @Scheduled(every = "${handoff.provisioner.pool.sweep-interval:10s}", delayed = "2s")
    void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        SafeContext.run(null, "node sweep", this::deleteExpired).whenComplete((v, f) -> sweeping.set(false));
    }

    /** Deletes every node the pool says should go now, and finishes deletions that failed before. */
    Uni<Void> deleteExpired() {
        Instant now = Instant.now();
        return Panache.withSession(() -> nodes.existingOrDeleting().flatMap(all -> nodes.holdingCounts()
                .map(holding -> all.stream()
                    .filter(node -> node.status == NodeStatus.DELETING
                        || pool.deletionReason(node, holding.getOrDefault(node.id, 0), now).isPresent())
                    .map(node -> node.id)
                    .toList())))
            .flatMap(ids -> ids.isEmpty() ? Uni.createFrom().voidItem() : Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> delete(id, null)
                    .onFailure().recoverWithItem(f -> {
                        LOG.errorf("node %s: not deleted: %s", id, f.getMessage());
                        return null;
                    }))
                .collect().last().replaceWithVoid());
    }

    /**
     * Deletes one node: {@code reason} given (a user's delete) deletes it whatever the pool says; null deletes it
     * only if the pool still says so. Completes with false when it was not deleted (unknown, already deleted, or
     * no longer due).
     */
    public Uni<Boolean> delete(String nodeId, String reason) {
        return transactions.commit(() -> nodes.holdingCounts().flatMap(holding -> nodes.node(nodeId).map(node -> {
                if (node == null || node.status == NodeStatus.DELETED || node.status == NodeStatus.FAILED) {
                    return Outcome.of((String) null, List.<Envelope>of());
                }
                if (node.status == NodeStatus.DELETING) {
                    return Outcome.of(node.deleteReason, List.<Envelope>of());
                }
                Optional<String> why = reason != null ? Optional.of(reason)
                    : pool.deletionReason(node, holding.getOrDefault(nodeId, 0), Instant.now());
                if (why.isEmpty()) {
                    return Outcome.of((String) null, List.<Envelope>of());
                }
                node.status = NodeStatus.DELETING;
                node.deleteReason = why.get();
                LOG.infof("node %s (%s) deleting: %s", nodeId, node.provider, why.get());
                return Outcome.of(why.get(), List.<Envelope>of());
            })))
            .flatMap(why -> why == null ? Uni.createFrom().item(false) : deleteAtProvider(nodeId)
                .flatMap(v -> markDeleted(nodeId)).replaceWith(true));
    }

    private Uni<Void> deleteAtProvider(String nodeId) {
        // executeBlocking runs the provider's call on a worker and resumes on this Vert.x context, where the
        // next transaction must run.
        return Panache.withSession(() -> nodes.node(nodeId))
            .flatMap(node -> VertxContextSupport.executeBlocking(() -> {
                providers.delete(node);
                return node;
            }))
            .replaceWithVoid();
    }

    /**
     * DELETED with NodeDeleted; tasks still holding it (a turn ended, or one a user deleted it under) hold it no
     * longer, their cost stops, and each is told with a NodeLost keyed by the task, so none waits for a gone node.
     */
    private Uni<Void> markDeleted(String nodeId) {
        return transactions.commit(() -> nodes.node(nodeId).flatMap(node -> {
            if (node == null || node.status != NodeStatus.DELETING) {
                return Uni.createFrom().item(Outcome.none());
            }
            Instant now = Instant.now();
            return nodes.heldOn(nodeId).map(held -> {
                held.forEach(request -> request.releasedAt = now);
                return deleted(node, held, now);
            });
        }));
    }

    private static Outcome<Void> deleted(Node node, List<NodeRequest> held, Instant now) {
        node.status = NodeStatus.DELETED;
        node.deletedAt = now;
        node.warmSince = null;
        LOG.infof("node %s deleted: %s", node.id, node.deleteReason);
        List<Envelope> events = new ArrayList<>();
        events.add(Envelope.forNode(new NodeDeleted(node.provider, node.deleteReason), node.id, null));
        held.forEach(request -> events.add(Envelope.causedBy(request.requestEventId, request.taskId, node.id,
            request.traceparent, new NodeLost("the node " + node.id + " was deleted (" + node.deleteReason + ")"))));
        return Outcome.events(events);
    }
}
