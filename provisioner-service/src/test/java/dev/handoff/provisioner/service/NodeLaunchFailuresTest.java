package dev.handoff.provisioner.service;

import dev.handoff.provisioner.provider.hetzner.HetznerActionException;
import dev.handoff.provisioner.provider.hetzner.HetznerApiException;
import dev.handoff.provisioner.provider.hetzner.HetznerNoCapacityException;
import dev.handoff.provisioner.provider.hetzner.HetznerTokenRefusedException;
import dev.handoff.provisioner.service.NodeLaunchFailures.Classification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeLaunchFailuresTest {

    @Test
    void providerTroubleThatMayPassIsTransient() {
        assertThat(NodeLaunchFailures.classify(new HetznerApiException(503, "unavailable", "Hetzner is down")))
            .isEqualTo(new Classification(true, "server_error"));
        assertThat(NodeLaunchFailures.classify(new HetznerApiException(429, "rate_limit_exceeded", "slow down")))
            .isEqualTo(new Classification(true, "rate_limited"));
        assertThat(NodeLaunchFailures.classify(new HetznerApiException("unreachable", new IOException("reset"))))
            .isEqualTo(new Classification(true, "network"));
        assertThat(NodeLaunchFailures.classify(new HetznerNoCapacityException("cx22", List.of("fsn1", "nbg1"),
            new HetznerApiException(412, "resource_unavailable", "no room")))).isEqualTo(
            new Classification(true, "no_capacity"));
        assertThat(NodeLaunchFailures.classify(new IllegalStateException("wrapped",
            new HetznerApiException(502, "unknown", "bad gateway")))).isEqualTo(
            new Classification(true, "server_error"));
    }

    @Test
    void aRefusedTokenQuotaOrBadRequestIsPermanent() {
        assertThat(NodeLaunchFailures.classify(new HetznerTokenRefusedException("unauthorized")))
            .isEqualTo(new Classification(false, "authentication"));
        assertThat(NodeLaunchFailures.classify(new HetznerApiException(403, "resource_limit_exceeded",
            "server limit reached"))).isEqualTo(new Classification(false, "invalid_request"));
        assertThat(NodeLaunchFailures.classify(new HetznerApiException(422, "invalid_input", "bad server type")))
            .isEqualTo(new Classification(false, "invalid_request"));
        assertThat(NodeLaunchFailures.classify(new HetznerActionException(7, "action_failed", "failed")))
            .isEqualTo(new Classification(false, "provider_action_failed"));
        assertThat(NodeLaunchFailures.classify(new IllegalStateException("no Hetzner token")))
            .isEqualTo(new Classification(false, "launch_failed"));
    }
}
