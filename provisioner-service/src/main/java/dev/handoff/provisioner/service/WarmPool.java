package dev.handoff.provisioner.service;

import dev.handoff.contracts.vocabulary.NodeSize;
import dev.handoff.provisioner.NodeHealth;
import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.repository.Node;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The warm pool's rules, free of infrastructure: which of a user's nodes a new task may claim, whether the user
 * may have another node, and when an idle node is deleted.
 *
 * @param health       node health from its last heartbeat
 * @param warmTime     how long a node without a task stays for its owner's next task
 * @param maxLifetime  age after which a node gets no new task and is deleted once idle
 * @param workspaceCap tasks that may hold one node at once
 * @param maxNodes     nodes one owner may have at once (attached machines not counted)
 */
public record WarmPool(NodeHealthPolicy health, Duration warmTime, Duration maxLifetime, int workspaceCap,
                       int maxNodes) {

    /** The provider name of machines users attach themselves: never created or deleted by Handoff. */
    public static final String ATTACHED = "attached";

    /**
     * The node a new task of the node's owner should get: connected and healthy (or still connecting), big enough,
     * younger than the lifetime cap and below the workspace cap; the least busy, connected before connecting.
     *
     * @param ownNodes the owner's nodes
     * @param holding  per node id, how many tasks hold or wait for it now
     */
    public Optional<Node> claimable(List<Node> ownNodes, Map<String, Integer> holding, String size, Instant now) {
        return ownNodes.stream()
            .filter(node -> node.status == NodeStatus.CONNECTED
                && health.healthAt(node.lastSeenAt, now) == NodeHealth.HEALTHY
                || node.status == NodeStatus.PROVISIONING && !ATTACHED.equals(node.provider))
            .filter(node -> fits(node.size, size))
            .filter(node -> !pastLifetime(node, now))
            .filter(node -> holding.getOrDefault(node.id, 0) < workspaceCap)
            .min(Comparator.<Node>comparingInt(node -> node.status == NodeStatus.CONNECTED ? 0 : 1)
                .thenComparingInt(node -> holding.getOrDefault(node.id, 0))
                .thenComparing(node -> node.createdAt, Comparator.reverseOrder()));
    }

    /** Why the owner may not have another node, or empty when they may. */
    public Optional<String> quotaRefusal(List<Node> ownNodes) {
        long counted = ownNodes.stream().filter(n -> n.status.exists() && !ATTACHED.equals(n.provider)).count();
        if (counted < maxNodes) {
            return Optional.empty();
        }
        return Optional.of("node quota reached: you have " + counted + " of " + maxNodes
            + " nodes; delete one (DELETE /api/nodes/{id}) or wait until a warm node is deleted");
    }

    /** Why an idle node (no task holds it) should be deleted now, or empty while it stays. */
    public Optional<String> deletionReason(Node node, int holding, Instant now) {
        if (holding > 0 || !node.status.exists() || ATTACHED.equals(node.provider)) {
            return Optional.empty();
        }
        if (pastLifetime(node, now)) {
            return Optional.of("lifetime cap of " + maxLifetime + " reached");
        }
        if (node.warmSince != null && !now.isBefore(node.warmSince.plus(warmTime))) {
            return Optional.of("warm for " + warmTime + " without a task");
        }
        return Optional.empty();
    }

    /** Whether a node of {@code nodeSize} (null: an attached machine, fits any) is big enough for {@code wanted}. */
    static boolean fits(String nodeSize, String wanted) {
        return nodeSize == null || NodeSize.orDefault(nodeSize).fits(NodeSize.orDefault(wanted));
    }

    /** small, medium or large (null or unknown: small). */
    public static String sizeOrSmall(String size) {
        return NodeSize.orDefault(size).wireName();
    }

    private boolean pastLifetime(Node node, Instant now) {
        return !now.isBefore(node.createdAt.plus(maxLifetime));
    }
}
