package dev.handoff.provisioner.service;

import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.repository.Node;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How many machines of their own one user may attach, free of infrastructure. An attached machine is a node like
 * any other (a row, a gateway connection, heartbeats), so each counts: every attached node that exists, except a
 * ticket whose token expired unused (nothing can join with it). Of those, tickets not used yet (attach tokens still
 * valid, no machine connected) have a smaller cap of their own, so nobody piles up live tokens.
 *
 * @param maxAttached attached machines one owner may have at once, tickets not yet used included
 * @param maxTickets  attach tokens one owner may hold unused at once
 * @param ticketTtl   how long an attach token stays valid ({@code handoff.provisioner.attach-token-ttl})
 */
public record AttachQuota(int maxAttached, int maxTickets, Duration ticketTtl) {

    /** Why the owner may not attach another machine now, or empty when they may. */
    public Optional<String> refusal(List<Node> ownNodes, Instant now) {
        List<Node> attached = ownNodes.stream()
            .filter(node -> WarmPool.ATTACHED.equals(node.provider) && node.status.exists())
            .filter(node -> !expiredUnused(node, now))
            .toList();
        long tickets = attached.stream().filter(node -> node.status == NodeStatus.PROVISIONING).count();
        if (tickets >= maxTickets) {
            return Optional.of("limit reached: you have " + tickets + " of " + maxTickets + " attach tickets not used "
                + "yet (handoff.provisioner.quota.max-attach-tickets-per-owner); run one's command, delete one "
                + "(DELETE /api/nodes/{id}) or wait until it expires");
        }
        if (attached.size() >= maxAttached) {
            return Optional.of("limit reached: you have " + attached.size() + " of " + maxAttached
                + " attached machines (handoff.provisioner.quota.max-attached-per-owner); delete one "
                + "(DELETE /api/nodes/{id})");
        }
        return Optional.empty();
    }

    private boolean expiredUnused(Node node, Instant now) {
        return node.status == NodeStatus.PROVISIONING && !now.isBefore(node.createdAt.plus(ticketTtl));
    }
}
