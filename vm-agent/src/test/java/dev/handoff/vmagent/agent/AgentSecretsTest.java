package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.node.NodeSecrets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSecretsTest {

    @Test
    void apiKeysBecomeTheAgentsEnvironmentAndTheGitTokenDoesNot() {
        var env = AgentSecrets.environment(new NodeSecrets(Map.of("anthropic_api_key", "sk-ant-canary",
            "openai_api_key", "sk-openai", NodeSecrets.GITHUB_TOKEN, "ghp_x", "hetzner_token", "h")));

        assertThat(env).containsOnly(Map.entry("ANTHROPIC_API_KEY", "sk-ant-canary"),
            Map.entry("OPENAI_API_KEY", "sk-openai"));
        assertThat(AgentSecrets.environment(null)).isEmpty();
    }

    @Test
    void theAgentsModelEndpointBecomesItsOwnBaseUrlVariable() {
        var secrets = new NodeSecrets(Map.of("anthropic_api_key", "sk-ant"),
            Map.of("claude-code", "https://gateway.example/anthropic", "gemini-cli", "https://gateway.example/gemini",
                "codex", "https://gateway.example/openai"));

        assertThat(AgentSecrets.environment("claude-code", secrets)).containsOnly(
            Map.entry("ANTHROPIC_API_KEY", "sk-ant"), Map.entry("ANTHROPIC_BASE_URL", "https://gateway.example/anthropic"));
        assertThat(AgentSecrets.environment("gemini-cli", secrets))
            .containsEntry("GOOGLE_GEMINI_BASE_URL", "https://gateway.example/gemini")
            .doesNotContainKey("ANTHROPIC_BASE_URL");
        assertThat(AgentSecrets.environment("codex", secrets)).containsOnlyKeys("ANTHROPIC_API_KEY");
        assertThat(AgentSecrets.environment("claude-code", new NodeSecrets(Map.of())))
            .doesNotContainKey("ANTHROPIC_BASE_URL");
    }
}
