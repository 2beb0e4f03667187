package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentEnvironmentTest {

    private static final AgentHome HOME = new AgentHome(Path.of("/work/agent-homes/ws-1"));
    private static final Map<String, String> PARENT = Map.of(
        "PATH", "/opt/node/bin:/usr/bin",
        "HANDOFF_CANARY", "leak",
        "IS_SANDBOX", "yes",
        "ANTHROPIC_API_KEY", "sk-parent",
        "HOME", "/root");

    @Test
    void parentVariablesDoNotPassUnlessNamedInPassEnv() {
        var agent = new AgentDefinition(List.of("/usr/bin/env"), Map.of(), List.of("ANTHROPIC_API_KEY", "NOT_SET"));

        Map<String, String> env = AgentEnvironment.build(agent, HOME, PARENT);

        assertThat(env).containsOnlyKeys("PATH", "HOME", "TMPDIR", "CLAUDE_CONFIG_DIR", "LANG", "ANTHROPIC_API_KEY")
            .containsEntry("ANTHROPIC_API_KEY", "sk-parent")
            .containsEntry("HOME", "/work/agent-homes/ws-1")
            .containsEntry("TMPDIR", "/work/agent-homes/ws-1/tmp")
            .containsEntry("CLAUDE_CONFIG_DIR", "/work/agent-homes/ws-1/.claude")
            .containsEntry("LANG", "C.UTF-8")
            .containsEntry("PATH", AgentEnvironment.SAFE_PATH);
    }

    @Test
    void agentEnvIsSetLiterallyAndPassEnvComesLast() {
        var agent = new AgentDefinition(List.of("/usr/bin/env"),
            Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:1234", "ANTHROPIC_API_KEY", "from-file", "LANG", "en_US"),
            List.of("ANTHROPIC_API_KEY"));

        Map<String, String> env = AgentEnvironment.build(agent, HOME, PARENT);

        assertThat(env).containsEntry("ANTHROPIC_BASE_URL", "http://127.0.0.1:1234")
            .containsEntry("ANTHROPIC_API_KEY", "sk-parent")
            .containsEntry("LANG", "en_US")
            .doesNotContainKeys("HANDOFF_CANARY", "IS_SANDBOX");
    }

    @Test
    void theDirectoryOfAnAbsoluteExecutableGoesFirstOnPath() {
        var agent = new AgentDefinition(List.of("/opt/node-22/bin/node", "/opt/agent/dist/index.js"), Map.of(),
            List.of());

        assertThat(AgentEnvironment.build(agent, HOME, PARENT))
            .containsEntry("PATH", "/opt/node-22/bin:" + AgentEnvironment.SAFE_PATH);
    }

    @Test
    void aBareExecutableNameIsResolvedOnTheParentPath(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createFile(bin.resolve("node"), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwxr-xr-x")));
        var agent = new AgentDefinition(List.of("node", "index.js"), Map.of(), List.of());

        Map<String, String> env = AgentEnvironment.build(agent, HOME,
            Map.of("PATH", "/nonexistent:" + bin));

        assertThat(env).containsEntry("PATH", bin + ":" + AgentEnvironment.SAFE_PATH);
    }

    @Test
    void anUnresolvableExecutableLeavesTheSafePath() {
        var agent = new AgentDefinition(List.of("no-such-binary-anywhere"), Map.of(), List.of());

        assertThat(AgentEnvironment.build(agent, HOME, PARENT)).containsEntry("PATH", AgentEnvironment.SAFE_PATH);
    }
}
