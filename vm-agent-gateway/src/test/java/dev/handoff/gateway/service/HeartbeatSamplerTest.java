package dev.handoff.gateway.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatSamplerTest {

    private static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

    @Test
    void forwardsAtMostOnePerNodePerInterval() {
        HeartbeatSampler sampler = new HeartbeatSampler(Duration.ofSeconds(20));

        assertThat(sampler.take("node-a", T0)).isTrue();
        assertThat(sampler.take("node-a", T0.plusSeconds(5))).isFalse();
        assertThat(sampler.take("node-b", T0.plusSeconds(5))).isTrue();
        assertThat(sampler.take("node-a", T0.plusSeconds(19))).isFalse();
        assertThat(sampler.take("node-a", T0.plusSeconds(20))).isTrue();
        assertThat(sampler.take("node-a", T0.plusSeconds(39))).isFalse();
    }

    @Test
    void aNodeThatReconnectsIsForwardedAtOnce() {
        HeartbeatSampler sampler = new HeartbeatSampler(Duration.ofSeconds(20));
        sampler.take("node-a", T0);

        sampler.forget("node-a");

        assertThat(sampler.take("node-a", T0.plusSeconds(1))).isTrue();
    }
}
