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
}
