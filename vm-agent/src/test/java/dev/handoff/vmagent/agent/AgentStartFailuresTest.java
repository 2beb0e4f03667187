package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.vmagent.agent.AgentStartFailures.Classification;
import org.junit.jupiter.api.Test;

class AgentStartFailuresTest {

    @Test
    void anInstallThatHitTheNetworkBeforeThePromptIsTransient() {
        assertThat(AgentStartFailures.classify("installing agent package @google/gemini-cli@0.61.0 into /w failed: "
            + "npm exited with code 1; npm output: npm error code ECONNRESET", true))
            .isEqualTo(new Classification(true, "network"));
        assertThat(AgentStartFailures.classify("installing agent package x failed: npm error 503 Service Unavailable",
            true)).isEqualTo(new Classification(true, "server_error"));
    }

    @Test
    void anUnknownPackageOrAnAgentThatExitsIsPermanent() {
        assertThat(AgentStartFailures.classify("installing agent package x@9.9.9 failed: npm error 404 Not Found",
            true)).isEqualTo(new Classification(false, "install_failed"));
        assertThat(AgentStartFailures.classify("agent process exited with code 1 before initialize", true))
            .isEqualTo(new Classification(false, "start_failed"));
    }

    @Test
    void anAgentThatHadThePromptIsNeverRetried() {
        assertThat(AgentStartFailures.classify("installing agent package x failed: ECONNRESET", false))
            .isEqualTo(new Classification(false, "agent_died"));
    }
}
