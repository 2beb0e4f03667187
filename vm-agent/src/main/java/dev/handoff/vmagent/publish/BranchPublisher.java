package dev.handoff.vmagent.publish;

import dev.handoff.contracts.events.BranchPublished;
import dev.handoff.contracts.node.NodeMessage.BranchPublishedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeSecrets;
import dev.handoff.vmagent.agent.TurnEndListener;
import dev.handoff.vmagent.gateway.ReportSink;
import dev.handoff.vmagent.git.Git;
import dev.handoff.vmagent.git.GitCredentials;
import dev.handoff.vmagent.workspace.CloneOrigin;
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
 * After each turn, commits everything in the workspace on the task's {@code handoff/...} branch, pushes it to the
 * URL the workspace was cloned from ({@link CloneOrigin}) and, for a GitHub repository with a token, opens (or
 * finds) its pull request; reports the outcome as a {@code branch_published} report. Later turns of the same task add commits to the same branch. Never pushes to
 * the branch the workspace was cloned from (the default branch). Publishing runs one at a time, off the agent's
 * threads.
 *
 * <p>The workspace's {@code .git/config} is the agent's to write ({@code remote.origin.pushurl},
 * {@code url.*.insteadOf}, {@code http.proxy}, helpers, ...), so the push never runs in it: the commit is fetched
 * into a bare repository only the vm-agent configures ({@link WorkspacePaths#pushRepository}) and pushed from there
 * to the recorded URL, with the token only for that URL's host and only when it is one of the node's GitHub hosts.
 * Git commands that run in the workspace never have the token in their environment.
 */
public final class BranchPublisher implements TurnEndListener {

    /** The workspace's git config key that remembers the branch it was cloned from, for the pull request's base. */
    static final String BASE_BRANCH_KEY = "handoff.baseBranch";
    /** Where the last pushed commit is remembered, so a later turn with no new commit is "nothing to commit". */
    static final String PUSHED_REF = "refs/handoff/pushed";

    private static final Logger LOG = Logger.getLogger(BranchPublisher.class.getName());

    private final WorkspacePaths paths;
    private final CloneOrigin origins;
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
        this.origins = new CloneOrigin(paths);
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
            Optional<String> cloned = origins.of(command.workspaceId());
            if (cloned.isEmpty()) {
                return outcome(command, null, null, BranchPublished.FAILED, "workspace " + command.workspaceId()
                    + " has no recorded clone URL (cloned by an older vm-agent), so it is not pushed", null);
            }
            String origin = cloned.get();
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
            Optional<String> token = secrets(command).get(NodeSecrets.GITHUB_TOKEN);
            Git.Result push = pushFromOwnRepository(command.workspaceId(), workspace, home, commit, branch, origin,
                GitCredentials.forRepository(origin, token, config.githubHosts()));
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
        Optional<GitHubRepository> repository = GitHubRepository.fromRemoteUrl(origin,
            config.githubHosts().hostNames());
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

    /**
     * Fetches {@code commit} from the workspace into the vm-agent's own bare repository (no token in that git's
     * environment) and pushes it from there to {@code origin} by its URL: that repository's config is written by
     * {@code git init} alone, system and global config are off, hooks are off, so nothing the agent wrote can change
     * where the push goes, through which proxy, or who is asked for credentials.
     */
    private Git.Result pushFromOwnRepository(String workspaceId, Path workspace, Path home, String commit,
                                             String branch, String origin, GitCredentials credentials)
        throws IOException, InterruptedException, GitStepException {
        Path own = paths.pushRepository(workspaceId);
        if (!Files.isRegularFile(own.resolve("HEAD"))) {
            Files.createDirectories(own);
            requireOk(git.run(own, home, GitCredentials.none(), List.of("init", "--bare", "--quiet", own.toString())),
                "git init");
        }
        String gitDir = "--git-dir=" + own;
        requireOk(git.run(own, home, GitCredentials.none(), List.of(gitDir, "-c", "core.hooksPath=/dev/null",
            "-c", "protocol.file.allow=always", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
            workspace.resolve(".git").toString(), "+" + commit + ":refs/heads/" + branch)), "git fetch");
        return git.run(own, home, credentials, List.of(gitDir, "-c", "core.hooksPath=/dev/null",
            "-c", "http.followRedirects=false", "push", "--porcelain", "--", origin,
            "refs/heads/" + branch + ":refs/heads/" + branch));
    }

    private static void requireOk(Git.Result result, String step) throws GitStepException {
        if (!result.ok()) {
            throw new GitStepException(step + " failed: " + result.problem());
        }
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
