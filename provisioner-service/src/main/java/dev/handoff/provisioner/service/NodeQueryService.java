package dev.handoff.provisioner.service;

import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.config.ProvisionerConfig;
import dev.handoff.provisioner.repository.Node;
import dev.handoff.provisioner.repository.NodeRepository;
import dev.handoff.provisioner.rest.NodeView;
import dev.handoff.provisioner.rest.TaskNodeView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads nodes for the nodes API: status, health, age, cost so far. */
@ApplicationScoped
public class NodeQueryService {

    @Inject
    NodeRepository nodes;

    @Inject
    NodeHealthPolicy health;

    @Inject
    ProvisionerConfig config;

    /** The owner's nodes (every owner's when null), newest first. */
    public Uni<List<NodeView>> list(String ownerId) {
        return Panache.withSession(() -> nodes.listed(ownerId).flatMap(list -> nodes.holdingCounts()
            .map(holding -> list.stream().map(node -> view(node, holding, Instant.now())).toList())));
    }

    /**
     * A page of the owner's nodes (every owner's when null), newest first: at most {@code limit}, those after the
     * node {@code afterId} when given; null when {@code afterId} is not a node of the owner's.
     */
    public Uni<List<NodeView>> page(String ownerId, int limit, String afterId) {
        return Panache.withSession(() -> (afterId == null ? Uni.createFrom().<Node>nullItem() : nodes.node(afterId))
            .flatMap(after -> {
                if (afterId != null && (after == null || ownerId != null && !ownerId.equals(after.ownerId))) {
                    return Uni.createFrom().<List<NodeView>>nullItem();
                }
                return nodes.listed(ownerId, limit, after).flatMap(list -> nodes.holdingCounts()
                    .map(holding -> list.stream().map(node -> view(node, holding, Instant.now())).toList()));
            }));
    }

    /** One node, or null when unknown or not {@code ownerId}'s (when given). */
    public Uni<NodeView> get(String nodeId, String ownerId) {
        return Panache.withSession(() -> nodes.node(nodeId).flatMap(node -> node == null
            || ownerId != null && !ownerId.equals(node.ownerId) ? Uni.createFrom().nullItem()
            : nodes.holdingCounts().map(holding -> view(node, holding, Instant.now()))));
    }

    /** The node the task got and its cost for the task, or null when it got none. */
    public Uni<TaskNodeView> ofTask(String taskId) {
        return Panache.withSession(() -> nodes.grantedTo(taskId).flatMap(request -> request == null
            ? Uni.createFrom().nullItem()
            : nodes.node(request.nodeId).map(node -> new TaskNodeView(node.id, node.provider, node.size,
                request.answeredAt, request.releasedAt,
                NodeCosts.between(node.hourlyPrice, request.answeredAt, endOf(request.releasedAt, node),
                    Instant.now()), config.cost().currency()))));
    }

    NodeView view(Node node, Map<String, Integer> holding, Instant now) {
        boolean exists = node.status.exists();
        Instant end = node.deletedAt != null ? node.deletedAt : now;
        return new NodeView(node.id, node.ownerId, node.provider, node.size, node.status.name().toLowerCase(),
            exists ? health.healthAt(node.lastSeenAt, now).wireName() : null, holding.getOrDefault(node.id, 0),
            node.createdAt, Duration.between(node.createdAt, end).toSeconds(), node.connectedAt, node.lastSeenAt,
            node.warmSince, node.warmSince == null || WarmPool.ATTACHED.equals(node.provider) ? null
            : node.warmSince.plus(config.pool().warmTime()), node.deletedAt, node.deleteReason, node.failureReason,
            node.hourlyPrice, NodeCosts.between(node.hourlyPrice, node.createdAt, node.deletedAt, now),
            config.cost().currency(), node.loadAverage, node.cpus, node.memoryTotalBytes, node.memoryAvailableBytes,
            node.diskFreeBytes);
    }

    /** A task's hold ends when it released the node, or when the node was deleted. */
    private static Instant endOf(Instant releasedAt, Node node) {
        if (releasedAt != null) {
            return releasedAt;
        }
        return node.status == NodeStatus.DELETED ? node.deletedAt : null;
    }
}
