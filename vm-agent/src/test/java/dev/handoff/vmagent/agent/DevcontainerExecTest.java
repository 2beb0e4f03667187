package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.vmagent.workspace.WorkspaceRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent in a devcontainer: docker exec with variables by name only. No Docker engine is needed. */
class DevcontainerExecTest {

    private static final WorkspaceRuntime CONTAINER = WorkspaceRuntime.devcontainer("devcontainer: test",
        "f00dcafe1234", "vscode", "/workspaces/app");

    @TempDir
    Path dir;

    @Test
    void buildsDockerExecWithTheWorkspaceFolderUserAndVariableNamesOnly() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", "/work/agent-homes/ws-1");
        env.put("GEMINI_API_KEY", "secret-value");

        List<String> command = DevcontainerExec.command(List.of("docker"), CONTAINER, env,
            List.of("node", "/cache/@google+gemini-cli@0.61.0/node_modules/@google/gemini-cli/bundle/gemini.js",
                "--acp"));

        assertThat(command).containsExactly("docker", "exec", "-i", "-w", "/workspaces/app", "-u", "vscode",
            "-e", "HOME", "-e", "GEMINI_API_KEY", "f00dcafe1234",
            "node", "/cache/@google+gemini-cli@0.61.0/node_modules/@google/gemini-cli/bundle/gemini.js", "--acp");
        assertThat(String.join(" ", command)).doesNotContain("secret-value");
    }

    @Test
    void withoutARemoteUserDockerPicksTheContainersDefault() {
        var runtime = WorkspaceRuntime.devcontainer("devcontainer: test", "c1", null, "/workspaces/app");

        assertThat(DevcontainerExec.command(List.of("docker"), runtime, Map.of("HOME", "/h"), List.of("codex-acp")))
            .containsExactly("docker", "exec", "-i", "-w", "/workspaces/app", "-e", "HOME", "c1", "codex-acp");
    }

    @Test
    void theLauncherRunsTheAgentThroughDockerExecAndDockerGetsTheValuesInItsEnvironment() throws Exception {
        Path fakeDocker = dir.resolve("docker");
        Files.writeString(fakeDocker, """
            #!/bin/sh
            printf '%s\\n' "$@" > "$(dirname "$0")/docker-args.txt"
            echo "HANDOFF_TEST_PASSED=$HANDOFF_TEST_PASSED" > "$(dirname "$0")/docker-env.txt"
            echo "FAKE_AGENT_SETTING=$FAKE_AGENT_SETTING" >> "$(dirname "$0")/docker-env.txt"
            """);
        Files.setPosixFilePermissions(fakeDocker, PosixFilePermissions.fromString("rwx------"));
        AgentHome home = AgentHome.create(dir.resolve("home"));
        CONTAINER.saveIn(home.dir());
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        var parentEnv = Map.of("HANDOFF_TEST_PASSED", "secret-value", "PATH", System.getenv("PATH"));
        var launcher = new AgentProcessLauncher(parentEnv, null, List.of(fakeDocker.toString()));

        Process process = launcher.launch("fake", FakeAgents.definition("normal", dir), workspace, home);

        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<String> args = Files.readAllLines(dir.resolve("docker-args.txt"));
        assertThat(args.subList(0, 7)).containsExactly("exec", "-i", "-w", "/workspaces/app", "-u", "vscode", "-e");
        assertThat(args).contains("HOME", "TMPDIR", "FAKE_AGENT_SETTING", "HANDOFF_TEST_PASSED", "f00dcafe1234")
            .doesNotContain("PATH")
            .noneMatch(arg -> arg.contains("secret-value"));
        assertThat(args.get(args.indexOf("f00dcafe1234") + 1)).isEqualTo(FakeAgents.definition("normal", dir)
            .command().get(0));
        assertThat(Files.readAllLines(dir.resolve("docker-env.txt")))
            .containsExactly("HANDOFF_TEST_PASSED=secret-value", "FAKE_AGENT_SETTING=on");
    }
}
