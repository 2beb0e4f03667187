package dev.handoff.chat.service;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelEndpointsTest {

    @Test
    void theUsersEndpointOverridesTheInstallationsAgentByAgent() {
        Map<String, String> installation = Map.of("claude-code", "https://company-gateway.example/anthropic",
            "gemini-cli", "https://company-gateway.example/gemini");
        Map<String, String> user = Map.of("claude-code", "http://10.0.0.5:4000");

        assertThat(ModelEndpoints.effective(installation, user)).containsOnly(
            Map.entry("claude-code", "http://10.0.0.5:4000"),
            Map.entry("gemini-cli", "https://company-gateway.example/gemini"));
    }

    @Test
    void withNeitherTheAgentGetsNoEndpointAndBlankValuesCountAsUnset() {
        assertThat(ModelEndpoints.effective(Map.of(), Map.of())).isEmpty();
        assertThat(ModelEndpoints.effective(Map.of("claude-code", " "), Map.of())).isEmpty();
        assertThat(ModelEndpoints.effective(Map.of("claude-code", "https://a.example"), Map.of("claude-code", "")))
            .containsOnly(Map.entry("claude-code", "https://a.example"));
    }
}
