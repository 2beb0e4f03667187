package dev.handoff.provisioner.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.provisioner.config.ProvisionerConfig;
import dev.handoff.provisioner.repository.NodeRepository;
import dev.handoff.provisioner.repository.NodeRequest;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Releases a task's node when the task ends: the orchestrator's TaskStatusChanged to a status in
 * {@code handoff.provisioner.pool.release-on-statuses} (failed, cancelled, completed). A node no other task holds
 * becomes warm. Once per event (inbox), and a task already released changes nothing.
 */
@ApplicationScoped
public class NodeReleaseService {

    static final String CONSUMER = "provisioner-task-events";

    private static final Logger LOG = Logger.getLogger(NodeReleaseService.class);

    @Inject
    NodeRepository nodes;

    @Inject
    ProvisionerConfig config;

    @Inject
    EventTransactions transactions;

    public Uni<Void> onTaskStatusChanged(Envelope event) {
        TaskStatusChanged changed = event.payload(TaskStatusChanged.class);
        if (!config.pool().releaseOnStatuses().contains(changed.status())) {
            return Uni.createFrom().voidItem();
        }
        return transactions.applyOnce(CONSUMER, event, () -> nodes.heldBy(event.taskId())
            .flatMap(held -> release(event.taskId(), changed.status(), held))
            .replaceWith(Outcome.none())).replaceWithVoid();
    }

    private Uni<Void> release(String taskId, String status, List<NodeRequest> held) {
        if (held.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        held.forEach(request -> request.releasedAt = now);
        return nodes.holdingCounts().flatMap(holding -> Multi.createFrom().iterable(held)
            .onItem().transformToUniAndConcatenate(request -> warmIfFree(taskId, status, request.nodeId, holding, now))
            .collect().last().replaceWithVoid());
    }

    private Uni<Void> warmIfFree(String taskId, String status, String nodeId, Map<String, Integer> holding,
                                 Instant now) {
        return nodes.node(nodeId).invoke(node -> {
            if (node == null || !node.status.exists()) {
                return;
            }
            int others = holding.getOrDefault(nodeId, 0);
            if (others == 0 && node.warmSince == null) {
                node.warmSince = now;
                LOG.infof("task %s %s: node %s released, warm for %s", taskId, status, nodeId,
                    config.pool().warmTime());
            } else {
                LOG.infof("task %s %s: node %s released, %d other tasks hold it", taskId, status, nodeId, others);
            }
        }).replaceWithVoid();
    }
}
