package dev.handoff.vmagent.workspace;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Where a workspace, its agent's private home and the delivery records live under the work directory. */
public final class WorkspacePaths {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path workDir;

    public WorkspacePaths(Path workDir) {
        this.workDir = workDir.toAbsolutePath().normalize();
    }

    /** {@code <work>/workspaces/<workspaceId>} */
    public Path workspace(String workspaceId) {
        return workDir.resolve("workspaces").resolve(checked(workspaceId));
    }

    /** {@code <work>/agent-homes/<workspaceId>} */
    public Path agentHome(String workspaceId) {
        return workDir.resolve("agent-homes").resolve(checked(workspaceId));
    }

    /**
     * {@code <work>/clone-origins/<workspaceId>}: the URL the workspace was cloned from, written by the vm-agent
     * outside the workspace (whose {@code .git/config} the agent can rewrite), see {@link CloneOrigin}
     */
    public Path cloneOrigin(String workspaceId) {
        return workDir.resolve("clone-origins").resolve(checked(workspaceId));
    }

    /**
     * {@code <work>/push-repositories/<workspaceId>.git}: a bare repository whose config only the vm-agent writes;
     * the turn's commit is fetched into it from the workspace and pushed from it, see {@code BranchPublisher}
     */
    public Path pushRepository(String workspaceId) {
        return workDir.resolve("push-repositories").resolve(checked(workspaceId) + ".git");
    }

    /** {@code <work>/deliveries}: one file per StartAgent delivery, see {@code DeliveryLog} */
    public Path deliveries() {
        return workDir.resolve("deliveries");
    }

    /** {@code <work>/prompts}: one file per follow-up prompt, see {@code PromptLog} */
    public Path prompts() {
        return workDir.resolve("prompts");
    }

    /** {@code <work>/turns}: one file per turn under way, see {@code TurnsInFlight} */
    public Path turns() {
        return workDir.resolve("turns");
    }

    /** {@code <work>/agent-processes}: one file per running agent process, see {@code AgentProcessRecords} */
    public Path agentProcesses() {
        return workDir.resolve("agent-processes");
    }

    /** @throws IllegalArgumentException unless the id is one safe path segment (no separators, no "..") */
    private static String checked(String workspaceId) {
        if (workspaceId == null || !SAFE_ID.matcher(workspaceId).matches() || workspaceId.contains("..")) {
            throw new IllegalArgumentException("workspaceId '" + workspaceId
                + "' is not a safe directory name (letters, digits, '.', '_', '-')");
        }
        return workspaceId;
    }
}
