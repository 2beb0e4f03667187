package dev.handoff.provisioner.service;

import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.repository.Node;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AttachQuotaTest {

    private static final Instant NOW = Instant.parse("2026-12-04T08:00:00Z");

    /** At most 3 attached machines, of which 2 tickets not used yet; tokens valid for an hour. */
    private final AttachQuota quota = new AttachQuota(3, 2, Duration.ofHours(1));

    @Test
    void ticketsNotUsedYetAreCappedAndTheRefusalNamesTheLimit() {
        List<Node> own = List.of(attached(NodeStatus.PROVISIONING, NOW.minusSeconds(60)));
        assertThat(quota.refusal(own, NOW)).isEmpty();

        List<Node> two = List.of(own.get(0), attached(NodeStatus.PROVISIONING, NOW));
        assertThat(quota.refusal(two, NOW)).contains("limit reached: you have 2 of 2 attach tickets not used yet "
            + "(handoff.provisioner.quota.max-attach-tickets-per-owner); run one's command, delete one "
            + "(DELETE /api/nodes/{id}) or wait until it expires");
    }

    @Test
    void attachedMachinesCountConnectedOrNotAndTheRefusalNamesTheLimit() {
        List<Node> own = List.of(attached(NodeStatus.CONNECTED, NOW.minus(Duration.ofDays(2))),
            attached(NodeStatus.DISCONNECTED, NOW.minus(Duration.ofDays(1))),
            attached(NodeStatus.PROVISIONING, NOW));

        assertThat(quota.refusal(own, NOW)).contains("limit reached: you have 3 of 3 attached machines "
            + "(handoff.provisioner.quota.max-attached-per-owner); delete one (DELETE /api/nodes/{id})");
    }

    @Test
    void anExpiredUnusedTicketDeletedNodesAndOtherProvidersDoNotCount() {
        List<Node> own = new ArrayList<>();
        own.add(attached(NodeStatus.PROVISIONING, NOW.minus(Duration.ofHours(1))));
        own.add(attached(NodeStatus.PROVISIONING, NOW.minus(Duration.ofHours(2))));
        own.add(attached(NodeStatus.DELETED, NOW.minus(Duration.ofDays(1))));
        own.add(attached(NodeStatus.FAILED, NOW.minus(Duration.ofDays(1))));
        Node local = attached(NodeStatus.CONNECTED, NOW);
        local.provider = "local";
        own.add(local);
        own.add(attached(NodeStatus.CONNECTED, NOW.minus(Duration.ofDays(3))));
        own.add(attached(NodeStatus.PROVISIONING, NOW.minusSeconds(10)));

        assertThat(quota.refusal(own, NOW)).as("one machine and one live ticket count").isEmpty();
    }

    private static Node attached(NodeStatus status, Instant createdAt) {
        Node node = new Node();
        node.id = "node-" + java.util.UUID.randomUUID();
        node.provider = WarmPool.ATTACHED;
        node.status = status;
        node.createdAt = createdAt;
        return node;
    }
}
