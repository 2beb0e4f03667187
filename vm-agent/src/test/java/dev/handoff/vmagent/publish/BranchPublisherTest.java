package dev.handoff.vmagent.publish;

import static dev.handoff.vmagent.workspace.GitFixtures.gitOutput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.node.NodeMessage.BranchPublishedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import dev.handoff.vmagent.workspace.CloneOrigin;
import dev.handoff.vmagent.workspace.GitClone;
import dev.handoff.vmagent.workspace.GitFixtures;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing a turn's work to a real bare repository with real git. */
class BranchPublisherTest {

    static final String TASK_ID = "1a2b3c4d-0000-4000-8000-000000000001";
    static final String TASK_TEXT = "Fix the login timeout in auth.ts\nIt should be 30 seconds.";

    @TempDir
    Path repos;
    @TempDir
    Path work;

    private Path origin;
    private WorkspacePaths paths;
    private BranchPublisher publisher;

    @BeforeEach
    void cloneWorkspace() throws Exception {
        origin = GitFixtures.bareRepositoryWithOneCommit(repos, "main");
        paths = new WorkspacePaths(work);
        GitFixtures.localClone().cloneBranch(origin.toUri().toString(), "main", paths.workspace("ws-1"),
            paths.agentHome("ws-1"));
        new CloneOrigin(paths).record("ws-1", origin.toUri().toString());
        publisher = new BranchPublisher(paths, PublishConfig.defaults(), new RecordingReportSink());
    }

    @Test
    void commitsEverythingOnTheTaskBranchAndPushesIt() throws Exception {
        Files.writeString(paths.workspace("ws-1").resolve("auth.ts"), "export const TIMEOUT = 30_000;\n");
        Files.writeString(paths.workspace("ws-1").resolve("README.md"), "# fixture, changed\n");

        BranchPublishedReport report = publisher.publish(startAgent(TASK_TEXT));

        assertThat(report.result()).as(report.toString()).isEqualTo("pushed");
        assertThat(report.branch()).isEqualTo("handoff/fix-the-login-timeout-in-auth-ts-1a2b3c4d");
        assertThat(report.reason()).isNull();
        assertThat(report.pullRequestUrl()).as("not a GitHub repository").isNull();
        assertThat(report.commandId()).isEqualTo("cmd-1");
        assertThat(report.taskId()).isEqualTo(TASK_ID);
        assertThat(gitOutput(origin, "rev-parse", "refs/heads/" + report.branch())).isEqualTo(report.commit());
        assertThat(gitOutput(origin, "show", report.branch() + ":auth.ts")).isEqualTo("export const TIMEOUT = 30_000;");
        assertThat(gitOutput(origin, "show", report.branch() + ":README.md")).isEqualTo("# fixture, changed");
        assertThat(gitOutput(origin, "log", "-1", "--format=%an <%ae>|%s", report.branch()))
            .isEqualTo("Handoff <handoff@handoff.invalid>|Fix the login timeout in auth.ts");
        assertThat(gitOutput(origin, "show", "main:README.md")).as("the default branch is untouched")
            .isEqualTo("# fixture");
    }

    @Test
    void aLaterTurnAddsCommitsToTheSameBranchAndATurnWithoutChangesHasNothingToCommit() throws Exception {
        Files.writeString(paths.workspace("ws-1").resolve("a.txt"), "first turn\n");
        BranchPublishedReport first = publisher.publish(startAgent(TASK_TEXT));

        BranchPublishedReport unchanged = publisher.publish(startAgent("Anything else?"));
        Files.writeString(paths.workspace("ws-1").resolve("b.txt"), "second turn\n");
        BranchPublishedReport second = publisher.publish(startAgent("Also add b.txt"));

        assertThat(unchanged.result()).isEqualTo("nothing_to_commit");
        assertThat(unchanged.branch()).isEqualTo(first.branch());
        assertThat(unchanged.commit()).isEqualTo(first.commit());
        assertThat(second.result()).isEqualTo("pushed");
        assertThat(second.branch()).isEqualTo(first.branch());
        assertThat(gitOutput(origin, "rev-list", "--count", "main.." + second.branch())).isEqualTo("2");
        assertThat(gitOutput(origin, "rev-parse", second.branch() + "~1")).isEqualTo(first.commit());
    }

    @Test
    void aTurnThatChangedNothingIsNothingToCommitAndPushesNothing() throws Exception {
        BranchPublishedReport report = publisher.publish(startAgent(TASK_TEXT));

        assertThat(report.result()).isEqualTo("nothing_to_commit");
        assertThat(report.reason()).isNull();
        assertThat(gitOutput(origin, "for-each-ref", "--format=%(refname)", "refs/heads/"))
            .isEqualTo("refs/heads/main");
    }

    @Test
    void commitsTheAgentMadeItselfArePushedToo() throws Exception {
        Path workspace = paths.workspace("ws-1");
        Files.writeString(workspace.resolve("c.txt"), "committed by the agent\n");
        gitOutput(workspace, "add", "c.txt");
        gitOutput(workspace, "-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "-q", "-m", "c");

        BranchPublishedReport report = publisher.publish(startAgent(TASK_TEXT));

        assertThat(report.result()).isEqualTo("pushed");
        assertThat(gitOutput(origin, "show", report.branch() + ":c.txt")).isEqualTo("committed by the agent");
        assertThat(gitOutput(origin, "show", "main:README.md")).isEqualTo("# fixture");
    }

    @Test
    void refusesToPushToTheBranchTheWorkspaceWasClonedFrom() throws Exception {
        String defaultBranch = BranchName.forTask(TASK_ID, TASK_TEXT);
        Path otherRepos = Files.createDirectories(repos.resolve("other"));
        Path other = GitFixtures.bareRepositoryWithOneCommit(otherRepos, defaultBranch);
        GitFixtures.localClone().cloneBranch(other.toUri().toString(), defaultBranch,
            paths.workspace("ws-2"), paths.agentHome("ws-2"));
        new CloneOrigin(paths).record("ws-2", other.toUri().toString());
        Files.writeString(paths.workspace("ws-2").resolve("x.txt"), "x\n");

        BranchPublishedReport report = publisher.publish(new StartAgent("cmd-2", TASK_ID, "ws-2", "d-2",
            "claude-code", TASK_TEXT));

        assertThat(report.result()).isEqualTo("failed");
        assertThat(report.reason()).contains("refusing to push");
        assertThat(gitOutput(other, "rev-list", "--count", defaultBranch)).as("nothing pushed").isEqualTo("1");
    }

    @Test
    void aRejectedPushIsReportedAsFailedWithGitsReason() throws Exception {
        Files.writeString(paths.workspace("ws-1").resolve("a.txt"), "first turn\n");
        String branch = publisher.publish(startAgent(TASK_TEXT)).branch();
        // Someone else pushed to the branch meanwhile: ours is no longer a fast-forward.
        Path elsewhere = repos.resolve("elsewhere");
        gitOutput(repos, "clone", "-q", "--branch", branch, origin.toString(), elsewhere.toString());
        Files.writeString(elsewhere.resolve("z.txt"), "theirs\n");
        gitOutput(elsewhere, "add", "z.txt");
        gitOutput(elsewhere, "-c", "user.name=Other", "-c", "user.email=o@example.com", "commit", "-q", "-m", "z");
        gitOutput(elsewhere, "push", "-q", "origin", branch);
        Files.writeString(paths.workspace("ws-1").resolve("b.txt"), "ours\n");

        BranchPublishedReport report = publisher.publish(startAgent(TASK_TEXT));

        assertThat(report.result()).isEqualTo("failed");
        assertThat(report.reason()).startsWith("git push failed: ").contains("rejected");
        assertThat(report.branch()).isEqualTo(branch);
    }

    @Test
    void theReportGoesToTheSinkAfterTheTurnEnded() {
        var sink = new RecordingReportSink();
        var queued = new BranchPublisher(paths, PublishConfig.defaults(), sink);

        queued.onTurnEnded(startAgent(TASK_TEXT), "end_turn");

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> !sink.reportsOf(BranchPublishedReport.class).isEmpty());
        assertThat(sink.reportsOf(BranchPublishedReport.class).get(0).result()).isEqualTo("nothing_to_commit");
        queued.shutdown();
    }

    private static StartAgent startAgent(String prompt) {
        return new StartAgent("cmd-1", TASK_ID, "ws-1", "d-1", "claude-code", prompt);
    }
}
