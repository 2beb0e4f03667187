package dev.handoff.vmagent.workspace;

import dev.handoff.vmagent.TextTail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides where a freshly cloned workspace's agent runs. In its devcontainer when the repository has
 * {@code .devcontainer/devcontainer.json} (or {@code .devcontainer.json}), a Docker engine answers
 * {@code docker info} and the devcontainer CLI is installed: then {@code devcontainer up} starts it. Otherwise, and
 * when {@code devcontainer up} fails, in the plain directory; the reason always says which and why.
 */
public final class WorkspaceRuntimeSelector {

    private static final Logger LOG = Logger.getLogger(WorkspaceRuntimeSelector.class.getName());
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final CommandRunner runner;
    private final List<String> docker;
    private final DevcontainerCli devcontainer;
    private final Duration upTimeout;
    private final List<Path> sharedMounts;

    /**
     * @param docker       the docker client executable and any leading arguments
     * @param upTimeout    limit for {@code devcontainer up} (it may build an image)
     * @param sharedMounts node directories every devcontainer gets at the same path (the agent cache)
     */
    public WorkspaceRuntimeSelector(CommandRunner runner, List<String> docker, DevcontainerCli devcontainer,
                                    Duration upTimeout, List<Path> sharedMounts) {
        this.runner = runner;
        this.docker = List.copyOf(docker);
        this.devcontainer = devcontainer;
        this.upTimeout = upTimeout;
        this.sharedMounts = List.copyOf(sharedMounts);
    }

    /** The devcontainer configuration of a repository, if it has one. */
    static Optional<Path> devcontainerConfig(Path workspace) {
        for (Path candidate : List.of(workspace.resolve(".devcontainer/devcontainer.json"),
                                      workspace.resolve(".devcontainer.json"))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * @param agentHome the agent's private home on the node, mounted at the same path in a devcontainer
     * @return never null; a directory runtime when anything is missing or fails
     */
    public WorkspaceRuntime select(String workspaceId, Path workspace, Path agentHome) throws InterruptedException {
        Optional<Path> config = devcontainerConfig(workspace);
        if (config.isEmpty()) {
            return WorkspaceRuntime.directory("plain directory: the repository has no .devcontainer/devcontainer.json");
        }
        String found = workspace.relativize(config.get()) + " found";
        Optional<String> noDocker = dockerEngineMissing();
        if (noDocker.isPresent()) {
            return fallback(workspaceId, "plain directory: " + found + ", but " + noDocker.get());
        }
        try {
            if (!runner.run(devcontainer.versionCommand(), PROBE_TIMEOUT).succeeded()) {
                return fallback(workspaceId, "plain directory: " + found
                    + ", but the devcontainer CLI does not work on this node (npm install -g @devcontainers/cli)");
            }
        } catch (IOException e) {
            return fallback(workspaceId, "plain directory: " + found
                + ", but the devcontainer CLI is not installed on this node (npm install -g @devcontainers/cli)");
        }
        List<Path> mounts = new ArrayList<>(sharedMounts);
        mounts.add(agentHome);
        try {
            Files.createDirectories(agentHome);
            CommandRunner.Result up = runner.run(devcontainer.upCommand(workspaceId, workspace, mounts), upTimeout);
            WorkspaceRuntime runtime = DevcontainerCli.parseUpResult(up.stdout(),
                "devcontainer: " + found + "; the agent runs in container ");
            runtime = WorkspaceRuntime.devcontainer(runtime.reason() + shortId(runtime.containerId()) + " at "
                + runtime.remoteWorkspaceFolder(), runtime.containerId(), runtime.remoteUser(),
                runtime.remoteWorkspaceFolder());
            LOG.log(Level.INFO, "workspace {0}: {1}", new Object[] {workspaceId, runtime.reason()});
            return runtime;
        } catch (IOException e) {
            return fallback(workspaceId, "plain directory: " + found + ", but " + e.getMessage());
        }
    }

    /** Removes a workspace's devcontainer ({@code docker rm -f}); a failure is logged, the workspace still goes. */
    public void removeDevcontainer(String workspaceId, WorkspaceRuntime runtime) {
        List<String> remove = new ArrayList<>(docker);
        remove.addAll(List.of("rm", "-f", runtime.containerId()));
        try {
            CommandRunner.Result result = runner.run(remove, PROBE_TIMEOUT);
            LOG.log(result.succeeded() ? Level.INFO : Level.WARNING, "workspace {0}: devcontainer {1} removed: {2}",
                new Object[] {workspaceId, runtime.containerId(), result.succeeded() ? "yes"
                    : "no, " + TextTail.lastLines(result.stderr(), 2)});
        } catch (IOException e) {
            LOG.log(Level.WARNING, "workspace {0}: devcontainer {1} not removed: {2}",
                new Object[] {workspaceId, runtime.containerId(), e.getMessage()});
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why the devcontainer cannot run here, or empty when a Docker engine answers. */
    private Optional<String> dockerEngineMissing() throws InterruptedException {
        List<String> info = new ArrayList<>(docker);
        info.addAll(List.of("info", "--format", "{{.ServerVersion}}"));
        try {
            CommandRunner.Result result = runner.run(info, PROBE_TIMEOUT);
            if (result.succeeded()) {
                return Optional.empty();
            }
            return Optional.of("no Docker engine reachable on this node (docker info: "
                + TextTail.lastLines(result.stderr(), 2) + ")");
        } catch (IOException e) {
            return Optional.of("no Docker client on this node (" + e.getMessage() + ")");
        }
    }

    private static WorkspaceRuntime fallback(String workspaceId, String reason) {
        LOG.log(Level.INFO, "workspace {0}: {1}", new Object[] {workspaceId, reason});
        return WorkspaceRuntime.directory(reason);
    }

    private static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
