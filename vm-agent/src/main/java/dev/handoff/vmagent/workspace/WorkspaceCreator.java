package dev.handoff.vmagent.workspace;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.WorkspaceFailedReport;
import dev.handoff.contracts.node.NodeMessage.WorkspaceReadyReport;
import dev.handoff.contracts.node.NodeSecrets;
import dev.handoff.vmagent.git.GitCredentials;
import dev.handoff.vmagent.git.TokenHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Handles CreateWorkspace: clones the branch into {@code <work>/workspaces/<workspaceId>}, then decides where its
 * agent runs ({@link WorkspaceRuntimeSelector}: devcontainer or plain directory) and stores that next to the agent's
 * home, and keeps the URL it cloned from ({@link CloneOrigin}) for the pushes. The user's token is offered only to
 * the node's {@link TokenHosts}. A redelivered command for a workspace that is already a git work tree is answered ready without cloning
 * again, with the runtime decided the first time.
 */
public final class WorkspaceCreator {

    private static final Logger LOG = Logger.getLogger(WorkspaceCreator.class.getName());

    private final WorkspacePaths paths;
    private final GitClone git;
    private final WorkspaceRuntimeSelector runtimes;
    private final TokenHosts tokenHosts;
    private final CloneOrigin origins;
    private final ConcurrentMap<String, Object> locksByWorkspace = new ConcurrentHashMap<>();

    /** Every workspace's agent runs in the plain directory; the token goes only to github.com. */
    public WorkspaceCreator(WorkspacePaths paths, GitClone git) {
        this(paths, git, TokenHosts.defaults());
    }

    /** Every workspace's agent runs in the plain directory. */
    public WorkspaceCreator(WorkspacePaths paths, GitClone git, TokenHosts tokenHosts) {
        this(paths, git, null, tokenHosts);
    }

    /**
     * @param runtimes   decides devcontainer or plain directory; null: always the plain directory
     * @param tokenHosts the only hosts the user's {@code github_token} is offered to
     */
    public WorkspaceCreator(WorkspacePaths paths, GitClone git, WorkspaceRuntimeSelector runtimes,
                            TokenHosts tokenHosts) {
        this.paths = paths;
        this.git = git;
        this.runtimes = runtimes;
        this.tokenHosts = tokenHosts;
        this.origins = new CloneOrigin(paths);
    }

    /** @return WorkspaceReadyReport or WorkspaceFailedReport; never throws for a bad command */
    public NodeMessage createWorkspace(CreateWorkspace command) throws InterruptedException {
        try {
            Path workspace = paths.workspace(command.workspaceId());
            Path home = paths.agentHome(command.workspaceId());
            requireText(command.repositoryUrl(), "repositoryUrl");
            requireText(command.branch(), "branch");
            WorkspaceRuntime runtime;
            // Two deliveries of one command must not clone into the same directory at once.
            synchronized (locksByWorkspace.computeIfAbsent(command.workspaceId(), id -> new Object())) {
                if (isGitWorkTree(workspace)) {
                    LOG.log(Level.INFO, "workspace {0} is already cloned", command.workspaceId());
                    if (origins.of(command.workspaceId()).isEmpty()) {
                        origins.record(command.workspaceId(), command.repositoryUrl());
                    }
                } else {
                    // A retried command starts clean: nothing a failed or killed clone left behind is reused.
                    deleteTree(workspace);
                    var secrets = command.secrets() != null ? command.secrets() : NodeSecrets.none();
                    git.cloneBranch(command.repositoryUrl(), command.branch(), workspace, home,
                        GitCredentials.forRepository(command.repositoryUrl(), secrets.get(NodeSecrets.GITHUB_TOKEN),
                            tokenHosts));
                    origins.record(command.workspaceId(), command.repositoryUrl());
                    LOG.log(Level.INFO, "workspace {0} ready at {1}", new Object[] {command.workspaceId(), workspace});
                }
                runtime = runtimeOf(command.workspaceId(), workspace, home);
            }
            return new WorkspaceReadyReport(command.commandId(), command.taskId(), command.workspaceId(),
                workspace.toString(), runtime.kind(), runtime.reason());
        } catch (GitCloneException e) {
            return failed(command, e.getMessage(), e.classification());
        } catch (IllegalArgumentException e) {
            return failed(command, e.getMessage(), new CloneFailures.Classification(false, "invalid_request"));
        } catch (IOException e) {
            return failed(command, "cannot create the workspace: " + e,
                new CloneFailures.Classification(false, "node_error"));
        }
    }

    /**
     * Deletes the workspace and its agent's home, after any clone into it has finished (it would otherwise leave a
     * directory behind). Missing directories are fine: deleting twice is deleting once.
     *
     * @return whether both are gone
     */
    public boolean deleteWorkspace(String workspaceId) {
        try {
            Path workspace = paths.workspace(workspaceId);
            Path home = paths.agentHome(workspaceId);
            synchronized (locksByWorkspace.computeIfAbsent(workspaceId, id -> new Object())) {
                var runtime = WorkspaceRuntime.loadFrom(home);
                if (runtimes != null && runtime.isPresent() && runtime.get().isDevcontainer()) {
                    runtimes.removeDevcontainer(workspaceId, runtime.get());
                }
                deleteTree(workspace);
                deleteTree(home);
                deleteTree(paths.pushRepository(workspaceId));
                origins.delete(workspaceId);
            }
            LOG.log(Level.INFO, "workspace {0} deleted", workspaceId);
            return true;
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, "workspace {0} not deleted: {1}", new Object[] {workspaceId, e.getMessage()});
            return false;
        }
    }

    /** The runtime decided when the workspace was first created, else decided now and stored. */
    private WorkspaceRuntime runtimeOf(String workspaceId, Path workspace, Path home)
        throws IOException, InterruptedException {
        var stored = WorkspaceRuntime.loadFrom(home);
        if (stored.isPresent()) {
            return stored.get();
        }
        WorkspaceRuntime runtime = runtimes == null
            ? WorkspaceRuntime.directory("plain directory: devcontainers are not enabled on this node")
            : runtimes.select(workspaceId, workspace, home);
        runtime.saveIn(home);
        return runtime;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static NodeMessage failed(CreateWorkspace command, String reason,
                                      CloneFailures.Classification classification) {
        LOG.log(Level.WARNING, "workspace {0} failed ({1}, {2}): {3}", new Object[] {command.workspaceId(),
            classification.retryable() ? "transient" : "permanent", classification.kind(), reason});
        return new WorkspaceFailedReport(command.commandId(), command.taskId(), command.workspaceId(), reason,
            classification.retryable(), classification.kind());
    }

    private static boolean isGitWorkTree(Path dir) {
        return Files.isDirectory(dir.resolve(".git"));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CreateWorkspace without " + name);
        }
    }
}
