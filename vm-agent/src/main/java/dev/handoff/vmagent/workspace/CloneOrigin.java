package dev.handoff.vmagent.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The URL a workspace was cloned from, as the control plane's CreateWorkspace named it, kept by the vm-agent in
 * {@link WorkspacePaths#cloneOrigin} (outside the workspace). The push goes there and nowhere else: the workspace's
 * own {@code remote.origin.url}, {@code pushurl} and {@code url.*.insteadOf} are the agent's to write and are never
 * read for it.
 */
public final class CloneOrigin {

    private final WorkspacePaths paths;

    public CloneOrigin(WorkspacePaths paths) {
        this.paths = paths;
    }

    /** Stores {@code repositoryUrl} for the workspace (atomically: a reader sees the old file or the new one). */
    public void record(String workspaceId, String repositoryUrl) throws IOException {
        Path file = paths.cloneOrigin(workspaceId);
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), workspaceId, ".tmp");
        Files.writeString(temporary, repositoryUrl, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The stored URL; empty for a workspace cloned before the vm-agent kept it. */
    public Optional<String> of(String workspaceId) throws IOException {
        Path file = paths.cloneOrigin(workspaceId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String url = Files.readString(file, StandardCharsets.UTF_8).strip();
        return url.isEmpty() ? Optional.empty() : Optional.of(url);
    }

    /** Forgets the workspace's URL (deleting twice is deleting once). */
    public void delete(String workspaceId) throws IOException {
        Files.deleteIfExists(paths.cloneOrigin(workspaceId));
    }
}
