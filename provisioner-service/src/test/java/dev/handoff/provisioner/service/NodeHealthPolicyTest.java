package dev.handoff.provisioner.service;

import dev.handoff.provisioner.NodeHealth;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class NodeHealthPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
    private final NodeHealthPolicy policy = new NodeHealthPolicy(Duration.ofSeconds(90), Duration.ofMinutes(5));

    @Test
    void freshIsHealthyThenStaleThenLost() {
        assertThat(policy.healthAt(NOW.minusSeconds(1), NOW)).isEqualTo(NodeHealth.HEALTHY);
        assertThat(policy.healthAt(NOW.minusSeconds(90), NOW)).isEqualTo(NodeHealth.HEALTHY);
        assertThat(policy.healthAt(NOW.minusSeconds(91), NOW)).isEqualTo(NodeHealth.STALE);
        assertThat(policy.healthAt(NOW.minusSeconds(300), NOW)).isEqualTo(NodeHealth.STALE);
        assertThat(policy.healthAt(NOW.minusSeconds(301), NOW)).isEqualTo(NodeHealth.LOST);
    }

    @Test
    void neverHeardFromIsLost() {
        assertThat(policy.healthAt(null, NOW)).isEqualTo(NodeHealth.LOST);
    }
}
