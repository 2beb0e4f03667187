package dev.handoff.vmagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.vmagent.VmAgentConfig.InvalidConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmAgentConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsTheEnvironmentWithDefaults() throws IOException {
        VmAgentConfig config = VmAgentConfig.fromEnvironment(validEnv());

        assertThat(config.gatewayUrl()).isEqualTo(URI.create("ws://127.0.0.1:8084/nodes/connect"));
        assertThat(config.nodeId()).isEqualTo("node-1");
        assertThat(config.nodeToken()).isEqualTo("tok-secret");
        assertThat(config.workDir()).isEqualTo(dir.resolve("work"));
        assertThat(config.workspacesDir()).isEqualTo(dir.resolve("work/workspaces"));
        assertThat(config.agentHomesDir()).isEqualTo(dir.resolve("work/agent-homes"));
        assertThat(config.cloneTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.agentStartTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxUnackedBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.agentStopGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.agentIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void overridesTimeoutsAndHostname() throws IOException {
        Map<String, String> env = validEnv();
        env.put("HANDOFF_CLONE_TIMEOUT_SECONDS", "30");
        env.put("HANDOFF_AGENT_START_TIMEOUT_SECONDS", "5");
        env.put("HANDOFF_AGENT_STOP_GRACE_SECONDS", "2");
        env.put("HANDOFF_NODE_HOSTNAME", "vm-7");
        env.put("HANDOFF_MAX_UNACKED_MB", "2");
        env.put("HANDOFF_AGENT_IDLE_TIMEOUT_SECONDS", "90");

        VmAgentConfig config = VmAgentConfig.fromEnvironment(env);

        assertThat(config.maxUnackedBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(config.cloneTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.agentStartTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.agentStopGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.hostname()).isEqualTo("vm-7");
        assertThat(config.agentIdleTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theRepositoryPolicyIsStrictUnlessTheEnvironmentOpensIt() throws IOException {
        assertThat(VmAgentConfig.fromEnvironment(validEnv()).repositoryPolicy().gitAllowProtocol())
            .isEqualTo("https:ssh");
        Map<String, String> env = validEnv();
        env.put("HANDOFF_REPOSITORY_ALLOWED_NETWORKS", "127.0.0.0/8, 10.20.0.0/16");
        env.put("HANDOFF_REPOSITORY_ALLOW_HTTP", "true");
        env.put("HANDOFF_REPOSITORY_ALLOW_FILE_URLS", "true");

        var policy = VmAgentConfig.fromEnvironment(env).repositoryPolicy();

        assertThat(policy.allowedNetworks()).hasToString("[127.0.0.0/8, 10.20.0.0/16]");
        assertThat(policy.gitAllowProtocol()).isEqualTo("https:http:git:ssh:file");
        env.put("HANDOFF_REPOSITORY_ALLOWED_NETWORKS", "intranet");
        env.put("HANDOFF_REPOSITORY_ALLOW_HTTP", "yes");
        assertThatThrownBy(() -> VmAgentConfig.fromEnvironment(env))
            .hasMessageContaining("HANDOFF_REPOSITORY_ALLOWED_NETWORKS").hasMessageContaining("'intranet'")
            .hasMessageContaining("HANDOFF_REPOSITORY_ALLOW_HTTP must be true or false");
    }

    @Test
    void listsEveryProblemAtOnce() {
        Map<String, String> env = Map.of("HANDOFF_GATEWAY_URL", "http://gateway", "HANDOFF_AGENTS_FILE",
            dir.resolve("missing.json").toString(), "HANDOFF_CLONE_TIMEOUT_SECONDS", "-1",
            "HANDOFF_MAX_UNACKED_MB", "lots");

        assertThatThrownBy(() -> VmAgentConfig.fromEnvironment(env))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("HANDOFF_GATEWAY_URL must be a ws:// or wss:// URL")
            .hasMessageContaining("HANDOFF_NODE_ID is required")
            .hasMessageContaining("HANDOFF_NODE_TOKEN is required")
            .hasMessageContaining("HANDOFF_WORK_DIR is required")
            .hasMessageContaining("HANDOFF_AGENTS_FILE must name a readable file")
            .hasMessageContaining("HANDOFF_CLONE_TIMEOUT_SECONDS must be a positive number")
            .hasMessageContaining("HANDOFF_MAX_UNACKED_MB must be a whole number of megabytes");
    }

    /** Issue 11 item 11: the node token and the tasks' secrets leave this machine only over TLS. */
    @Test
    void refusesPlainWsToAHostThatIsNotThisMachine() throws IOException {
        for (String url : new String[] {"ws://gateway.example.com/nodes/connect", "ws://10.0.0.5:8083/nodes/connect",
            "ws://[fd00::1]:8083/nodes/connect", "ws://localhost.example.com/nodes/connect",
            "ws://127.0.0.1.nip.io/nodes/connect"}) {
            Map<String, String> env = validEnv();
            env.put("HANDOFF_GATEWAY_URL", url);

            assertThatThrownBy(() -> VmAgentConfig.fromEnvironment(env)).as(url)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("HANDOFF_GATEWAY_URL is plain ws:// to ")
                .hasMessageContaining("which is not this machine")
                .hasMessageContaining("Use wss:// (TLS), or set HANDOFF_GATEWAY_ALLOW_PLAIN_WS=true");
        }
    }

    @Test
    void takesWssAnywherePlainWsToLoopbackAndPlainWsElsewhereOnlyWhenTheOperatorAllowsIt() throws IOException {
        for (String url : new String[] {"wss://gateway.example.com/nodes/connect", "wss://10.0.0.5/nodes/connect",
            "ws://localhost:8083/nodes/connect", "ws://127.0.0.2:8083/nodes/connect", "ws://[::1]:8083/nodes/connect"}) {
            Map<String, String> env = validEnv();
            env.put("HANDOFF_GATEWAY_URL", url);
            assertThat(VmAgentConfig.fromEnvironment(env).gatewayUrl()).as(url).isEqualTo(URI.create(url));
        }

        Map<String, String> lab = validEnv();
        lab.put("HANDOFF_GATEWAY_URL", "ws://vm-agent-gateway:8083/nodes/connect");
        lab.put("HANDOFF_GATEWAY_ALLOW_PLAIN_WS", "true");
        assertThat(VmAgentConfig.fromEnvironment(lab).gatewayUrl())
            .isEqualTo(URI.create("ws://vm-agent-gateway:8083/nodes/connect"));

        lab.put("HANDOFF_GATEWAY_ALLOW_PLAIN_WS", "yes");
        assertThatThrownBy(() -> VmAgentConfig.fromEnvironment(lab))
            .hasMessageContaining("HANDOFF_GATEWAY_ALLOW_PLAIN_WS must be true or false");
    }

    @Test
    void neverPrintsTheToken() throws IOException {
        assertThat(VmAgentConfig.fromEnvironment(validEnv()).toString())
            .doesNotContain("tok-secret").contains("<redacted>");
    }

    @Test
    void mainExitsWithCode2OnBadConfiguration() {
        assertThat(VmAgentMain.run(Map.of())).isEqualTo(VmAgentMain.EXIT_INVALID_CONFIG);
    }

    private Map<String, String> validEnv() throws IOException {
        Path agents = Files.writeString(dir.resolve("agents.json"), "{\"agents\":{\"a\":{\"command\":[\"x\"]}}}");
        Map<String, String> env = new HashMap<>();
        env.put("HANDOFF_GATEWAY_URL", "ws://127.0.0.1:8084/nodes/connect");
        env.put("HANDOFF_NODE_ID", "node-1");
        env.put("HANDOFF_NODE_TOKEN", "tok-secret");
        env.put("HANDOFF_WORK_DIR", dir.resolve("work").toString());
        env.put("HANDOFF_AGENTS_FILE", agents.toString());
        return env;
    }
}
