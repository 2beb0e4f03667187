package dev.handoff.vmagent.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.WorkspaceFailedReport;
import dev.handoff.contracts.node.NodeMessage.WorkspaceReadyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceCreatorTest {

    @TempDir
    Path repos;
    @TempDir
    Path work;

    private WorkspaceCreator creator;
    private Path origin;

    @BeforeEach
    void createOrigin() throws Exception {
        origin = GitFixtures.bareRepositoryWithOneCommit(repos, "main");
        creator = new WorkspaceCreator(new WorkspacePaths(work), GitFixtures.localClone());
    }

    @Test
    void clonesTheBranchIntoTheWorkspace() throws Exception {
        NodeMessage report = creator.createWorkspace(command("cmd-1", origin.toString(), "main"));

        Path workspace = work.resolve("workspaces").resolve("ws-1");
        assertThat(report).isEqualTo(new WorkspaceReadyReport("cmd-1", "task-1", "ws-1", workspace.toString(),
            "directory", "plain directory: devcontainers are not enabled on this node"));
        assertThat(workspace.resolve("README.md")).hasContent("# fixture");
        assertThat(workspace.resolve(".git")).isDirectory();
        assertThat(work.resolve("agent-homes").resolve("ws-1")).isDirectory();
    }

    @Test
    void deletingRemovesTheWorkspaceAndTheAgentHomeAndMayBeRepeated() throws Exception {
        creator.createWorkspace(command("cmd-1", origin.toString(), "main"));
        Files.writeString(work.resolve("agent-homes/ws-1/agent-stderr.log"), "log");

        assertThat(creator.deleteWorkspace("ws-1")).isTrue();

        assertThat(work.resolve("workspaces").resolve("ws-1")).doesNotExist();
        assertThat(work.resolve("agent-homes").resolve("ws-1")).doesNotExist();
        assertThat(creator.deleteWorkspace("ws-1")).as("again").isTrue();
        assertThat(creator.deleteWorkspace("../escape")).isFalse();
    }

    @Test
    void aRedeliveredCommandFindsTheCloneAndReportsReadyAgain() throws Exception {
        creator.createWorkspace(command("cmd-1", origin.toString(), "main"));
        Path marker = Files.writeString(work.resolve("workspaces/ws-1/local-change.txt"), "kept");

        NodeMessage report = creator.createWorkspace(command("cmd-1", origin.toString(), "main"));

        assertThat(report).isInstanceOf(WorkspaceReadyReport.class);
        assertThat(marker).hasContent("kept");
    }

    @Test
    void aMissingRepositoryIsReportedNotFoundInHandoffsWords() throws Exception {
        NodeMessage report = creator.createWorkspace(command("cmd-1", repos.resolve("nope.git").toString(), "main"));

        assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed -> {
            assertThat(failed.commandId()).isEqualTo("cmd-1");
            assertThat(failed.workspaceId()).isEqualTo("ws-1");
            assertThat(failed.reason())
                .isEqualTo("git clone failed: the repository or its branch 'main' was not found");
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.failureKind()).isEqualTo("not_found");
        });
        assertThat(work.resolve("workspaces/ws-1")).doesNotExist();
    }

    @Test
    void aMissingBranchIsReported() throws Exception {
        NodeMessage report = creator.createWorkspace(command("cmd-1", origin.toString(), "no-such-branch"));

        assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed -> {
            assertThat(failed.reason()).contains("no-such-branch");
            assertThat(failed.retryable()).isFalse();
        });
    }

    @Test
    void anUnreachableGitServerIsReportedTransientAndTheRetryStartsClean() throws Exception {
        Path leftover = Files.createDirectories(work.resolve("workspaces/ws-1/half-cloned"));
        NodeMessage report = creator.createWorkspace(command("cmd-1", "http://127.0.0.1:9/nope.git", "main"));

        assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed -> {
            assertThat(failed.retryable()).as(failed.reason()).isTrue();
            assertThat(failed.failureKind()).isEqualTo("network");
        });
        assertThat(leftover).doesNotExist();

        assertThat(creator.createWorkspace(command("cmd-2", origin.toString(), "main")))
            .isInstanceOf(WorkspaceReadyReport.class);
    }

    @Test
    void anUnsafeWorkspaceIdIsRefused() throws Exception {
        NodeMessage report = creator.createWorkspace(
            new CreateWorkspace("cmd-1", "task-1", "../../etc", origin.toString(), "main"));

        assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed ->
            assertThat(failed.reason()).contains("not a safe directory name"));
    }

    private static CreateWorkspace command(String commandId, String url, String branch) {
        return new CreateWorkspace(commandId, "task-1", "ws-1", url, branch);
    }

    /**
     * A repository with a devcontainer on a node whose docker client reaches no engine (these machines): the
     * workspace runs in the plain directory and the report says why. Uses the real docker client if there is one.
     */
    @Test
    void aDevcontainerRepositoryWithoutADockerEngineRunsInThePlainDirectoryAndSaysWhy() throws Exception {
        Path devRepos = Files.createDirectories(repos.resolve("dev"));
        Path devOrigin = GitFixtures.bareRepositoryWithOneCommit(devRepos, "main",
            Map.of(".devcontainer/devcontainer.json", "{\"image\": \"mcr.microsoft.com/devcontainers/base:debian\"}"));
        var selector = new WorkspaceRuntimeSelector(new ProcessCommandRunner(System.getenv()), List.of("docker"),
            new DevcontainerCli(List.of("devcontainer"), ""), Duration.ofMinutes(1), List.of());
        assumeFalse(dockerEngineReachable(), "a Docker engine is reachable here; this test is for nodes without one");
        var devCreator = new WorkspaceCreator(new WorkspacePaths(work), GitFixtures.localClone(), selector,
            dev.handoff.vmagent.git.TokenHosts.defaults());

        NodeMessage report = devCreator.createWorkspace(command("cmd-1", devOrigin.toString(), "main"));

        assertThat(report).isInstanceOf(WorkspaceReadyReport.class);
        var ready = (WorkspaceReadyReport) report;
        assertThat(ready.runtime()).isEqualTo("directory");
        assertThat(ready.runtimeReason()).startsWith("plain directory: .devcontainer/devcontainer.json found, but no "
            + "Docker");
        assertThat(WorkspaceRuntime.loadFrom(work.resolve("agent-homes/ws-1"))).get()
            .extracting(WorkspaceRuntime::reason).isEqualTo(ready.runtimeReason());
        // a redelivery answers with the runtime decided the first time
        assertThat(devCreator.createWorkspace(command("cmd-1", devOrigin.toString(), "main"))).isEqualTo(report);
    }

    private static boolean dockerEngineReachable() throws InterruptedException {
        try {
            return new ProcessCommandRunner(System.getenv()).run(List.of("docker", "info"), Duration.ofSeconds(20))
                .succeeded();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
