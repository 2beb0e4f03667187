package dev.handoff.vmagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentRuntimeConfigTest {

    private static final Path WORK = Path.of("/var/lib/handoff");

    @Test
    void defaultsPutTheCacheInTheWorkDirectoryAndUseDevcontainersWhenPossible() {
        AgentRuntimeConfig config = AgentRuntimeConfig.fromEnvironment(Map.of(), WORK);

        assertThat(config.agentCacheDir()).isEqualTo(WORK.resolve("agent-cache"));
        assertThat(config.agentInstallTimeout()).isEqualTo(Duration.ofSeconds(240));
        assertThat(config.npm()).isEqualTo("npm");
        assertThat(config.devcontainers()).isTrue();
        assertThat(config.docker()).isEqualTo("docker");
        assertThat(config.devcontainerCli()).isEqualTo("devcontainer");
        assertThat(config.devcontainerFeatures()).isEqualTo(AgentRuntimeConfig.NODE_FEATURE);
    }

    @Test
    void readsEverySetting() {
        AgentRuntimeConfig config = AgentRuntimeConfig.fromEnvironment(Map.of(
            "HANDOFF_AGENT_CACHE_DIR", "/opt/handoff/agents",
            "HANDOFF_AGENT_INSTALL_TIMEOUT_SECONDS", "60",
            "HANDOFF_NPM", "/usr/local/bin/npm",
            "HANDOFF_DEVCONTAINERS", "off",
            "HANDOFF_DOCKER", "podman",
            "HANDOFF_DEVCONTAINER_CLI", "/opt/devcontainer",
            "HANDOFF_DEVCONTAINER_UP_TIMEOUT_SECONDS", "120",
            "HANDOFF_DEVCONTAINER_FEATURES", "{}"), WORK);

        assertThat(config).isEqualTo(new AgentRuntimeConfig(Path.of("/opt/handoff/agents"), Duration.ofSeconds(60),
            "/usr/local/bin/npm", false, "podman", "/opt/devcontainer", Duration.ofSeconds(120), "{}"));
    }

    @Test
    void namesEveryBadSetting() {
        assertThatThrownBy(() -> AgentRuntimeConfig.fromEnvironment(Map.of(
            "HANDOFF_DEVCONTAINERS", "sometimes",
            "HANDOFF_AGENT_INSTALL_TIMEOUT_SECONDS", "-1"), WORK))
            .isInstanceOf(VmAgentConfig.InvalidConfigException.class)
            .hasMessageContaining("HANDOFF_DEVCONTAINERS must be auto or off")
            .hasMessageContaining("HANDOFF_AGENT_INSTALL_TIMEOUT_SECONDS must be a positive number");
    }
}
