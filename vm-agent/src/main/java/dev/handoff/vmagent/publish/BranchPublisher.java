package dev.handoff.vmagent.publish;

import dev.handoff.contracts.events.BranchPublished;
import dev.handoff.contracts.node.NodeMessage.BranchPublishedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeSecrets;
import dev.handoff.vmagent.agent.TurnEndListener;
import dev.handoff.vmagent.gateway.ReportSink;
import dev.handoff.vmagent.git.Git;
import dev.handoff.vmagent.git.GitCredentials;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * After each turn, commits everything in the workspace on the task's {@code handoff/...} branch, pushes it to
 * origin and, for a GitHub repository with a token, opens (or finds) its pull request; reports the outcome as a
 * {@code branch_published} report. Later turns of the same task add commits to the same branch. Never pushes to
 * the branch the workspace was cloned from (the default branch). Publishing runs one at a time, off the agent's
 * threads.
 */
public final class BranchPublisher implements TurnEndListener {

    /** The workspace's git config key that remembers the branch it was cloned from, for the pull request's base. */
    static final String BASE_BRANCH_KEY = "handoff.baseBranch";
    /** Where the last pushed commit is remembered, so a later turn with no new commit is "nothing to commit". */
    static final String PUSHED_REF = "refs/handoff/pushed";

    private static final Logger LOG = Logger.getLogger(BranchPublisher.class.getName());

    private final WorkspacePaths paths;
    private final PublishConfig config;
    private final Git git;
    private final GitHubPullRequests github;
    private final ReportSink reports;
    private final ExecutorService publishing = Executors.newSingleThreadExecutor(runnable -> {
        var thread = new Thread(runnable, "branch-publisher");
        thread.setDaemon(true);
        return thread;
    });

    public BranchPublisher(WorkspacePaths paths, PublishConfig config, ReportSink reports) {
        this(paths, config, new GitHubPullRequests(config.githubApiUrl()), reports);
    }

    BranchPublisher(WorkspacePaths paths, PublishConfig config, GitHubPullRequests github, ReportSink reports) {
        this.paths = paths;
        this.config = config;
        this.git = new Git(config.gitTimeout());
        this.github = github;
        this.reports = reports;
    }

    /** Queues the publish of this turn's work; its report follows when done, and so does the returned stage. */
    @Override
    public CompletionStage<?> onTurnEnded(StartAgent command, String stopReason) {
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    reports.report(publish(command));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, publishing);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down; the work of task {0} is not published", command.taskId());
            return CompletableFuture.completedFuture(null);
        }
    }

    public void shutdown() {
        publishing.shutdownNow();
    }

    /** Commits, pushes and opens the pull request now; never throws for a git or GitHub problem. */
    public BranchPublishedReport publish(StartAgent command) throws InterruptedException {
        Path workspace;
        Path home;
        try {
            workspace = paths.workspace(command.workspaceId());
            home = paths.agentHome(command.workspaceId());
        } catch (IllegalArgumentException e) {
            return outcome(command, null, null, BranchPublished.FAILED, e.getMessage(), null);
        }
        if (!Files.isDirectory(workspace.resolve(".git"))) {
            return outcome(command, null, null, BranchPublished.FAILED,
                "workspace " + command.workspaceId() + " is not a git work tree", null);
        }
        var session = new Session(workspace, home);
        String branch = null;
        try {
            String current = session.gitOut("symbolic-ref", "--quiet", "--short", "HEAD");
            String base = baseBranch(session, current);
            branch = current.startsWith(BranchName.PREFIX) ? current
                : BranchName.forTask(command.taskId(), command.prompt());
            if (branch.equals(base) || !branch.startsWith(BranchName.PREFIX)) {
                return outcome(command, branch, null, BranchPublished.FAILED,
                    "refusing to push to " + branch + ": Handoff pushes only handoff/ branches, never the default "
                        + "branch", null);
            }
            if (!current.equals(branch)) {
                session.gitOut("checkout", "-q", "-b", branch);
            }
            session.gitOut("add", "-A");
            boolean staged = !session.git("diff", "--cached", "--quiet").ok();
            if (staged) {
                session.gitOut("-c", "user.name=" + config.authorName(), "-c", "user.email=" + config.authorEmail(),
                    "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", commitMessage(command));
            }
            String commit = session.gitOut("rev-parse", "HEAD");
            long unpushed = Long.parseLong(session.gitOut("rev-list", "--count", "HEAD", "--not", "--remotes=origin",
                "--glob=refs/handoff/*"));
            if (unpushed == 0) {
                LOG.log(Level.INFO, "task {0}: nothing to commit on {1}", new Object[] {command.taskId(), branch});
                return outcome(command, branch, commit, BranchPublished.NOTHING_TO_COMMIT, null, null);
            }
            String origin = session.gitOut("remote", "get-url", "origin");
            Optional<String> token = secrets(command).get(NodeSecrets.GITHUB_TOKEN);
            Git.Result push = git.run(workspace, home, GitCredentials.forRepository(pushUrl(session, origin), token),
                List.of("-c", "core.hooksPath=/dev/null", "push", "--porcelain", "origin",
                    "HEAD:refs/heads/" + branch));
            if (!push.ok()) {
                return outcome(command, branch, commit, BranchPublished.FAILED, "git push failed: " + push.problem(),
                    null);
            }
            session.gitOut("update-ref", PUSHED_REF, commit);
            LOG.log(Level.INFO, "task {0}: pushed {1} to {2}", new Object[] {command.taskId(), commit, branch});
            return pullRequest(command, origin, token, branch, base, commit);
        } catch (GitStepException | IOException e) {
            return outcome(command, branch, null, BranchPublished.FAILED, e.getMessage(), null);
        }
    }

    /** Opens or finds the pull request when origin is a GitHub repository and a token is there; else only pushed. */
    private BranchPublishedReport pullRequest(StartAgent command, String origin, Optional<String> token, String branch,
                                              String base, String commit) throws InterruptedException {
        Optional<GitHubRepository> repository = GitHubRepository.fromRemoteUrl(origin, config.githubHosts());
        if (repository.isEmpty()) {
            return outcome(command, branch, commit, BranchPublished.PUSHED, null, null);
        }
        if (token.isEmpty()) {
            return outcome(command, branch, commit, BranchPublished.PUSHED,
                "no pull request: no github_token is stored", null);
        }
        try {
            String url = github.openOrFind(repository.get(), token.get(), new GitHubPullRequests.Draft(
                PullRequestText.title(command.prompt()), PullRequestText.body(command.prompt(), command.chatUrl(),
                command.taskId()), branch, base));
            return outcome(command, branch, commit, BranchPublished.PUSHED, null, url);
        } catch (GitHubPullRequests.GitHubApiException e) {
            return outcome(command, branch, commit, BranchPublished.PUSHED, "no pull request: " + e.getMessage(),
                null);
        }
    }

    /**
     * The branch the workspace was cloned from: remembered in the workspace's git config at the first publish, taken
     * then from the checked-out branch's upstream ({@code origin/<branch>} after {@code git clone --branch}).
     */
    private static String baseBranch(Session session, String current) throws IOException, InterruptedException,
        GitStepException {
        Optional<String> remembered = session.gitMaybe("config", "--local", "--get", BASE_BRANCH_KEY);
        if (remembered.isPresent()) {
            return remembered.get();
        }
        String base = session.gitMaybe("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
            .filter(upstream -> upstream.startsWith("origin/"))
            .map(upstream -> upstream.substring("origin/".length()))
            .orElse(current);
        session.gitOut("config", "--local", BASE_BRANCH_KEY, base);
        return base;
    }

    /** Where git pushes: {@code remote.origin.pushurl} when set, else origin's URL; the token goes to its host. */
    private static String pushUrl(Session session, String origin) throws IOException, InterruptedException,
        GitStepException {
        return session.gitMaybe("config", "--local", "--get", "remote.origin.pushurl").orElse(origin);
    }

    private static String commitMessage(StartAgent command) {
        return PullRequestText.title(command.prompt()) + "\n\nHandoff task " + command.taskId();
    }

    private static NodeSecrets secrets(StartAgent command) {
        return command.secrets() != null ? command.secrets() : NodeSecrets.none();
    }

    private static BranchPublishedReport outcome(StartAgent command, String branch, String commit, String result,
                                                 String reason, String pullRequestUrl) {
        if (BranchPublished.FAILED.equals(result)) {
            LOG.log(Level.WARNING, "task {0}: publishing failed: {1}", new Object[] {command.taskId(), reason});
        } else if (reason != null) {
            LOG.log(Level.INFO, "task {0}: {1}", new Object[] {command.taskId(), reason});
        }
        return new BranchPublishedReport(command.commandId(), command.taskId(), command.workspaceId(), branch, commit,
            result, reason, pullRequestUrl);
    }

    /** A git step that failed; its message names the step and git's complaint. */
    private static final class GitStepException extends Exception {
        GitStepException(String message) {
            super(message);
        }
    }

    /** Local git commands in one workspace (no credentials: they never leave the machine). */
    private final class Session {
        private final Path workspace;
        private final Path home;

        Session(Path workspace, Path home) {
            this.workspace = workspace;
            this.home = home;
        }

        Git.Result git(String... args) throws IOException, InterruptedException {
            List<String> all = new ArrayList<>(List.of("-c", "core.hooksPath=/dev/null"));
            all.addAll(List.of(args));
            return BranchPublisher.this.git.run(workspace, home, GitCredentials.none(), all);
        }

        String gitOut(String... args) throws IOException, InterruptedException, GitStepException {
            Git.Result result = git(args);
            if (!result.ok()) {
                throw new GitStepException("git " + args[0] + " failed: " + result.problem());
            }
            return result.stdout();
        }

        Optional<String> gitMaybe(String... args) throws IOException, InterruptedException {
            Git.Result result = git(args);
            return result.ok() && !result.stdout().isBlank() ? Optional.of(result.stdout()) : Optional.empty();
        }
    }
}
