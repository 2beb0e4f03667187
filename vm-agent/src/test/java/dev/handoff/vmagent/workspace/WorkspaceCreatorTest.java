package dev.handoff.vmagent.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.WorkspaceFailedReport;
import dev.handoff.contracts.node.NodeMessage.WorkspaceReadyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        creator = new WorkspaceCreator(new WorkspacePaths(work), new GitClone(Duration.ofMinutes(1)));
    }

    @Test
    void clonesTheBranchIntoTheWorkspace() throws Exception {
        NodeMessage report = creator.createWorkspace(command("cmd-1", origin.toString(), "main"));

        Path workspace = work.resolve("workspaces").resolve("ws-1");
        assertThat(report).isEqualTo(new WorkspaceReadyReport("cmd-1", "task-1", "ws-1", workspace.toString()));
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
    void aBadUrlIsReportedWithGitsReason() throws Exception {
        NodeMessage report = creator.createWorkspace(command("cmd-1", repos.resolve("nope.git").toString(), "main"));

        assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed -> {
            assertThat(failed.commandId()).isEqualTo("cmd-1");
            assertThat(failed.workspaceId()).isEqualTo("ws-1");
            assertThat(failed.reason()).contains("git clone failed with exit code 128").contains("nope.git");
        });
        assertThat(work.resolve("workspaces/ws-1")).doesNotExist();
    }

    @Test
    void aMissingBranchIsReported() throws Exception {
        NodeMessage report = creator.createWorkspace(command("cmd-1", origin.toString(), "no-such-branch"));

        assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed ->
            assertThat(failed.reason()).contains("no-such-branch"));
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
}
