package dev.handoff.vmagent.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devcontainer or plain directory, with docker and the devcontainer CLI stood in for by a scripted runner. */
class WorkspaceRuntimeSelectorTest {

    private static final String UP_OUTPUT = """
        [2026-11-24T08:30:00.000Z] @devcontainers/cli 0.80.0. Node.js v20.20.2. linux 6.1.0 x64.
        {"outcome":"success","containerId":"0123456789abcdef0123","remoteUser":"node","remoteWorkspaceFolder":"/workspaces/ws-1"}
        """;

    @TempDir
    Path dir;

    private final List<List<String>> commands = new ArrayList<>();

    @Test
    void aRepositoryWithoutDevcontainerConfigRunsInThePlainDirectoryWithoutAskingDocker() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws-1"));

        WorkspaceRuntime runtime = selector(command -> ok("")).select("ws-1", workspace, dir.resolve("home"));

        assertThat(runtime).isEqualTo(WorkspaceRuntime.directory(
            "plain directory: the repository has no .devcontainer/devcontainer.json"));
        assertThat(commands).isEmpty();
    }

    @Test
    void withDockerAndTheCliTheWorkspaceRunsInItsDevcontainer() throws Exception {
        Path workspace = repositoryWithDevcontainer();
        Path home = dir.resolve("home");

        WorkspaceRuntime runtime = selector(command -> command.contains("up") ? ok(UP_OUTPUT) : ok("27.3.1"))
            .select("ws-1", workspace, home);

        assertThat(runtime.isDevcontainer()).isTrue();
        assertThat(runtime.containerId()).isEqualTo("0123456789abcdef0123");
        assertThat(runtime.remoteUser()).isEqualTo("node");
        assertThat(runtime.remoteWorkspaceFolder()).isEqualTo("/workspaces/ws-1");
        assertThat(runtime.reason()).isEqualTo("devcontainer: .devcontainer/devcontainer.json found; the agent runs "
            + "in container 0123456789ab at /workspaces/ws-1");
        assertThat(commands).containsExactly(
            List.of("docker", "info", "--format", "{{.ServerVersion}}"),
            List.of("devcontainer", "--version"),
            List.of("devcontainer", "up", "--workspace-folder", workspace.toString(),
                "--id-label", "dev.handoff.workspace=ws-1",
                "--mount", "type=bind,source=/var/lib/handoff/agent-cache,target=/var/lib/handoff/agent-cache",
                "--mount", "type=bind,source=" + home + ",target=" + home,
                "--additional-features", "{\"ghcr.io/devcontainers/features/node:1\":{\"version\":\"20\"}}"));
    }

    @Test
    void noDockerEngineMeansThePlainDirectoryAndSaysSo() throws Exception {
        Path workspace = repositoryWithDevcontainer();

        WorkspaceRuntime runtime = selector(command -> new CommandRunner.Result(1, "",
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"))
            .select("ws-1", workspace, dir.resolve("home"));

        assertThat(runtime.isDevcontainer()).isFalse();
        assertThat(runtime.reason()).isEqualTo("plain directory: .devcontainer/devcontainer.json found, but no Docker "
            + "engine reachable on this node (docker info: Cannot connect to the Docker daemon at "
            + "unix:///var/run/docker.sock. Is the docker daemon running?)");
        assertThat(commands).hasSize(1);
    }

    @Test
    void noDevcontainerCliMeansThePlainDirectoryAndSaysSo() throws Exception {
        Path workspace = repositoryWithDevcontainer();

        WorkspaceRuntime runtime = selector(command -> {
            if (command.get(0).equals("devcontainer")) {
                throw new IOException("Cannot run program \"devcontainer\": error=2, No such file or directory");
            }
            return ok("27.3.1");
        }).select("ws-1", workspace, dir.resolve("home"));

        assertThat(runtime.reason()).isEqualTo("plain directory: .devcontainer/devcontainer.json found, but the "
            + "devcontainer CLI is not installed on this node (npm install -g @devcontainers/cli)");
    }

    @Test
    void aFailedDevcontainerUpFallsBackToThePlainDirectoryWithTheCliMessage() throws Exception {
        Path workspace = repositoryWithDevcontainer();

        WorkspaceRuntime runtime = selector(command -> command.contains("up")
            ? new CommandRunner.Result(1, "{\"outcome\":\"error\",\"message\":\"Command failed: docker build\","
                + "\"description\":\"An error occurred building the image.\"}\n", "")
            : ok("ok")).select("ws-1", workspace, dir.resolve("home"));

        assertThat(runtime.isDevcontainer()).isFalse();
        assertThat(runtime.reason()).isEqualTo("plain directory: .devcontainer/devcontainer.json found, but "
            + "devcontainer up failed: Command failed: docker build (An error occurred building the image.)");
    }

    @Test
    void aTopLevelDevcontainerJsonCountsToo() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws-1"));
        Files.writeString(workspace.resolve(".devcontainer.json"), "{\"image\": \"node:20\"}");

        assertThat(WorkspaceRuntimeSelector.devcontainerConfig(workspace)).contains(workspace.resolve(
            ".devcontainer.json"));
    }

    @Test
    void theRuntimeIsStoredAndReadBack() throws Exception {
        var runtime = WorkspaceRuntime.devcontainer("why", "c1", "node", "/workspaces/x");

        runtime.saveIn(dir);

        assertThat(WorkspaceRuntime.loadFrom(dir)).contains(runtime);
        assertThat(WorkspaceRuntime.loadFrom(dir.resolve("none"))).isEmpty();
    }

    private Path repositoryWithDevcontainer() throws IOException {
        Path workspace = Files.createDirectories(dir.resolve("ws-1/.devcontainer"));
        Files.writeString(workspace.resolve("devcontainer.json"), "{\"image\": \"mcr.microsoft.com/devcontainers/base\"}");
        return workspace.getParent();
    }

    private WorkspaceRuntimeSelector selector(ScriptedCommand script) {
        CommandRunner runner = (command, timeout) -> {
            commands.add(command);
            return script.apply(command);
        };
        return new WorkspaceRuntimeSelector(runner, List.of("docker"),
            new DevcontainerCli(List.of("devcontainer"), "{\"ghcr.io/devcontainers/features/node:1\":{\"version\":\"20\"}}"),
            Duration.ofMinutes(1), List.of(Path.of("/var/lib/handoff/agent-cache")));
    }

    private static CommandRunner.Result ok(String stdout) {
        return new CommandRunner.Result(0, stdout, "");
    }

    @FunctionalInterface
    private interface ScriptedCommand {
        CommandRunner.Result apply(List<String> command) throws IOException;
    }
}
