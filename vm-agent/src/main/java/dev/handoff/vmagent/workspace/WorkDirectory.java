package dev.handoff.vmagent.workspace;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The vm-agent's work directory and the directories it keeps in it (workspaces, agent homes, delivery and turn
 * records, clone URLs, push repositories) are the node user's alone ({@code rwx------}), whatever umask made them:
 * another OS user on the node lists and reads none of it. Set once at start; a directory made later inside one of
 * them is behind it.
 */
public final class WorkDirectory {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private WorkDirectory() {
    }

    /** Creates the work directory and its directories as needed and makes each owner-only. */
    public static void secure(Path workDir) throws IOException {
        var paths = new WorkspacePaths(workDir);
        Path root = workDir.toAbsolutePath().normalize();
        List<Path> dirs = List.of(root, root.resolve("workspaces"), root.resolve("agent-homes"),
            paths.cloneOrigin("x").getParent(), paths.pushRepository("x").getParent(), paths.deliveries(),
            paths.prompts(), paths.turns(), paths.agentProcesses());
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        for (Path dir : dirs) {
            Files.createDirectories(dir);
            if (posix) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
            }
        }
    }
}
