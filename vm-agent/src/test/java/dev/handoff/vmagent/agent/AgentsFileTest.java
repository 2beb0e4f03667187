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
