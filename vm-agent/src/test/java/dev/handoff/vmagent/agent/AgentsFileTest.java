package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.vmagent.agent.AgentsFile.InvalidAgentsFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentsFileTest {

    @TempDir
    Path dir;

    @Test
    void readsAnAgentInstalledOnDemandWithHomeFilesAndResolvesThePlaceholders() throws IOException {
        AgentsFile file = AgentsFile.load(write("""
            {"agents":{"codex":{"install":{"package":"@zed-industries/codex-acp","version":"0.16.0"},
                                "command":["${install}/node_modules/.bin/codex-acp"],
                                "env":{"CODEX_HOME":"${home}/.codex"},
                                "passEnv":["OPENAI_API_KEY"],
                                "homeFiles":{".codex/config.toml":"model = \\"gpt-5-codex\\"\\n"}}}}"""));

        AgentDefinition codex = file.find("codex").orElseThrow();
        assertThat(codex.install()).contains(new AgentPackage("@zed-industries/codex-acp", "0.16.0"));
        assertThat(file.passEnvNames()).containsExactly("OPENAI_API_KEY");
        AgentDefinition resolved = codex.resolve(Path.of("/cache/@zed-industries+codex-acp@0.16.0"),
            Path.of("/work/agent-homes/ws-1"));
        assertThat(resolved.command()).containsExactly(
            "/cache/@zed-industries+codex-acp@0.16.0/node_modules/.bin/codex-acp");
        assertThat(resolved.env()).containsEntry("CODEX_HOME", "/work/agent-homes/ws-1/.codex");
        assertThat(resolved.homeFiles()).containsEntry(".codex/config.toml", "model = \"gpt-5-codex\"\n");
        assertThat(new AgentPackage("@google/gemini-cli", "0.61.0").directoryName())
            .isEqualTo("@google+gemini-cli@0.61.0");
    }

    @Test
    void refusesBadInstallSpecsAndHomeFilesOutsideTheHome() {
        assertThatThrownBy(() -> AgentsFile.load(write("""
            {"agents":{"x":{"command":["${install}/bin/x"]}}}""")))
            .isInstanceOf(InvalidAgentsFileException.class).hasMessageContaining("has no \"install\" package");
        assertThatThrownBy(() -> AgentsFile.load(write("""
            {"agents":{"x":{"install":{"package":"x","version":"^1.0.0"},"command":["x"]}}}""")))
            .isInstanceOf(InvalidAgentsFileException.class).hasMessageContaining("exact version");
        assertThatThrownBy(() -> AgentsFile.load(write("""
            {"agents":{"x":{"install":{"package":"Bad Name","version":"1.0.0"},"command":["x"]}}}""")))
            .isInstanceOf(InvalidAgentsFileException.class).hasMessageContaining("npm package name");
        assertThatThrownBy(() -> AgentsFile.load(write("""
            {"agents":{"x":{"command":["x"],"homeFiles":{"../escape.txt":"x"}}}}""")))
            .isInstanceOf(InvalidAgentsFileException.class).hasMessageContaining("inside the home");
    }

    @Test
    void readsAgentsWithEnvAndPassEnv() throws IOException {
        AgentsFile file = AgentsFile.load(write("""
            {"permissionPolicy":"allow_always",
             "agents":{"claude-code":{"command":["node","/abs/dist/index.js"],
                                      "env":{"ANTHROPIC_BASE_URL":"http://127.0.0.1:1234"},
                                      "passEnv":["ANTHROPIC_API_KEY"]},
                       "plain":{"command":["/bin/agent"]}}}"""));

        assertThat(file.permissionPolicy()).isEqualTo(PermissionPolicy.ALLOW_ALWAYS);
        assertThat(file.agentNames()).containsExactly("claude-code", "plain");
        assertThat(file.find("claude-code")).contains(new AgentDefinition(List.of("node", "/abs/dist/index.js"),
            Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:1234"), List.of("ANTHROPIC_API_KEY")));
        assertThat(file.find("plain")).contains(new AgentDefinition(List.of("/bin/agent"), Map.of(), List.of()));
        assertThat(file.find("other")).isEmpty();
    }

    @Test
    void thePolicyDefaultsToAllowOnce() throws IOException {
        assertThat(AgentsFile.load(write("{\"agents\":{\"a\":{\"command\":[\"x\"]}}}")).permissionPolicy())
            .isEqualTo(PermissionPolicy.ALLOW_ONCE);
    }

    @Test
    void explainsWhatIsWrong() throws IOException {
        assertThatThrownBy(() -> AgentsFile.load(write("{\"agents\":{}}")))
            .isInstanceOf(InvalidAgentsFileException.class).hasMessageContaining("at least one agent");
        assertThatThrownBy(() -> AgentsFile.load(write("{\"agents\":{\"a\":{\"command\":[]}}}")))
            .hasMessageContaining("agent 'a'").hasMessageContaining("command");
        assertThatThrownBy(() -> AgentsFile.load(write("{\"agents\":{\"a\":{\"command\":[\"x\"],\"env\":{\"K\":1}}}}")))
            .hasMessageContaining("env K must be a string");
        assertThatThrownBy(() -> AgentsFile.load(write("{\"permissionPolicy\":\"yolo\",\"agents\":{}}")))
            .hasMessageContaining("unknown permissionPolicy 'yolo'");
        assertThatThrownBy(() -> AgentsFile.load(write("not json")))
            .hasMessageContaining("cannot read agents file");
    }

    @Test
    void toStringShowsEnvNamesButNotValues() {
        var agent = new AgentDefinition(List.of("x"), Map.of("ANTHROPIC_API_KEY", "sk-secret"), List.of());

        assertThat(agent.toString()).contains("ANTHROPIC_API_KEY").doesNotContain("sk-secret");
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("agents.json"), json);
    }
}
