package dev.handoff.provisioner.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.NodeHeartbeat;
import dev.handoff.provisioner.repository.NodeRepository;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps each node's latest heartbeat (load, memory, disk, when). Latest wins: a heartbeat older than the one
 * stored changes nothing, so redelivered or reordered heartbeats are harmless without an inbox row per heartbeat.
 */
@ApplicationScoped
public class NodeHeartbeatService {

    @Inject
    NodeRepository nodes;

    @Inject
    EventTransactions transactions;

    public Uni<Void> onHeartbeat(Envelope event) {
        NodeHeartbeat heartbeat = event.payload(NodeHeartbeat.class);
        return transactions.applyIdempotent(() -> nodes.node(event.nodeId()).map(node -> {
            if (node == null || node.lastSeenAt != null && node.lastSeenAt.isAfter(event.occurredAt())) {
                return Outcome.none();
            }
            node.lastSeenAt = event.occurredAt();
            node.loadAverage = heartbeat.loadAverage();
            node.cpus = heartbeat.cpus();
            node.memoryTotalBytes = heartbeat.memoryTotalBytes();
            node.memoryAvailableBytes = heartbeat.memoryAvailableBytes();
            node.diskFreeBytes = heartbeat.diskFreeBytes();
            return Outcome.none();
        }));
    }
}
