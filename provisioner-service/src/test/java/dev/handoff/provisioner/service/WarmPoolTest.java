package dev.handoff.provisioner.service;

import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.repository.Node;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WarmPoolTest {

    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");

    private final WarmPool pool = new WarmPool(new NodeHealthPolicy(Duration.ofSeconds(90), Duration.ofMinutes(5)),
        Duration.ofMinutes(30), Duration.ofHours(24), 2, 3);

    @Test
    void aWarmHealthyNodeBigEnoughIsClaimed() {
        Node warm = node("n1", NodeStatus.CONNECTED, "medium", NOW.minusSeconds(10));
        warm.warmSince = NOW.minusSeconds(60);

        assertThat(pool.claimable(List.of(warm), Map.of(), "small", NOW)).contains(warm);
        assertThat(pool.claimable(List.of(warm), Map.of(), "medium", NOW)).contains(warm);
        assertThat(pool.claimable(List.of(warm), Map.of(), "large", NOW)).isEmpty();
    }

    @Test
    void aStaleOrDisconnectedNodeIsNotClaimed() {
        Node stale = node("n1", NodeStatus.CONNECTED, "small", NOW.minusSeconds(120));
        Node disconnected = node("n2", NodeStatus.DISCONNECTED, "small", NOW.minusSeconds(5));

        assertThat(pool.claimable(List.of(stale, disconnected), Map.of(), "small", NOW)).isEmpty();
    }

    @Test
    void aNodeAtItsWorkspaceCapIsNotClaimedTheLeastBusyIs() {
        Node full = node("n1", NodeStatus.CONNECTED, "small", NOW);
        Node half = node("n2", NodeStatus.CONNECTED, "small", NOW);

        assertThat(pool.claimable(List.of(full, half), Map.of("n1", 2, "n2", 1), "small", NOW)).contains(half);
        assertThat(pool.claimable(List.of(full), Map.of("n1", 2), "small", NOW)).isEmpty();
    }

    @Test
    void aConnectedNodeIsPreferredToOneStillConnecting() {
        Node connecting = node("n1", NodeStatus.PROVISIONING, "small", null);
        Node connected = node("n2", NodeStatus.CONNECTED, "small", NOW);

        assertThat(pool.claimable(List.of(connecting, connected), Map.of(), "small", NOW)).contains(connected);
        assertThat(pool.claimable(List.of(connecting), Map.of(), "small", NOW)).contains(connecting);
    }

    @Test
    void aNodePastItsLifetimeIsNotClaimedAndIsDeletedOnceIdle() {
        Node old = node("n1", NodeStatus.CONNECTED, "small", NOW);
        old.createdAt = NOW.minus(Duration.ofHours(25));

        assertThat(pool.claimable(List.of(old), Map.of(), "small", NOW)).isEmpty();
        assertThat(pool.deletionReason(old, 1, NOW)).isEmpty();
        assertThat(pool.deletionReason(old, 0, NOW)).hasValueSatisfying(r -> assertThat(r).contains("lifetime"));
    }

    @Test
    void aWarmNodeIsDeletedAfterTheWarmTimeNotBefore() {
        Node warm = node("n1", NodeStatus.CONNECTED, "small", NOW);
        warm.warmSince = NOW.minus(Duration.ofMinutes(29));
        assertThat(pool.deletionReason(warm, 0, NOW)).isEmpty();

        warm.warmSince = NOW.minus(Duration.ofMinutes(30));
        assertThat(pool.deletionReason(warm, 0, NOW)).hasValueSatisfying(r -> assertThat(r).contains("warm"));
    }

    @Test
    void anAttachedMachineIsNeverDeletedByThePoolFitsAnySizeAndIsNotCountedInTheQuota() {
        Node attached = node("n1", NodeStatus.CONNECTED, null, NOW);
        attached.provider = WarmPool.ATTACHED;
        attached.warmSince = NOW.minus(Duration.ofDays(3));
        attached.createdAt = NOW.minus(Duration.ofDays(3));

        assertThat(pool.deletionReason(attached, 0, NOW)).isEmpty();
        assertThat(WarmPool.fits(null, "large")).isTrue();
        assertThat(pool.quotaRefusal(List.of(attached, attached, attached))).isEmpty();
    }

    @Test
    void theQuotaCountsExistingNodesAndSaysWhatToDo() {
        List<Node> three = List.of(node("a", NodeStatus.CONNECTED, "small", NOW),
            node("b", NodeStatus.PROVISIONING, "small", null), node("c", NodeStatus.DISCONNECTED, "small", NOW));

        assertThat(pool.quotaRefusal(three.subList(0, 2))).isEmpty();
        assertThat(pool.quotaRefusal(three)).hasValue("node quota reached: you have 3 of 3 nodes; delete one "
            + "(DELETE /api/nodes/{id}) or wait until a warm node is deleted");
    }

    @Test
    void costIsPriceTimesHours() {
        BigDecimal price = new BigDecimal("0.0160");
        assertThat(NodeCosts.between(price, NOW, NOW.plus(Duration.ofMinutes(90)), NOW)).isEqualByComparingTo("0.0240");
        assertThat(NodeCosts.between(price, NOW.minus(Duration.ofHours(2)), null, NOW)).isEqualByComparingTo("0.0320");
        assertThat(NodeCosts.between(BigDecimal.ZERO, NOW.minusSeconds(3600), null, NOW)).isEqualByComparingTo("0");
    }

    private static Node node(String id, NodeStatus status, String size, Instant lastSeen) {
        Node node = new Node();
        node.id = id;
        node.provider = "local";
        node.ownerId = "local";
        node.status = status;
        node.size = size;
        node.lastSeenAt = lastSeen;
        node.createdAt = NOW.minus(Duration.ofHours(1));
        return node;
    }
}
