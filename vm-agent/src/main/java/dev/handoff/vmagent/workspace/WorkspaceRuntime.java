package dev.handoff.vmagent.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where a workspace's agent runs: in the plain directory on the node, or inside the workspace's devcontainer.
 * Stored next to the agent's home ({@value #FILE_NAME}) when the workspace is created, read when the agent starts.
 *
 * @param kind                  {@link #DIRECTORY} or {@link #DEVCONTAINER}
 * @param reason                why this runtime, for the task timeline
 * @param containerId           the devcontainer's id (devcontainer only)
 * @param remoteUser            the user the agent runs as in the container (devcontainer only; may be null)
 * @param remoteWorkspaceFolder the workspace's path inside the container (devcontainer only)
 */
public record WorkspaceRuntime(String kind, String reason, String containerId, String remoteUser,
                               String remoteWorkspaceFolder) {

    public static final String DIRECTORY = "directory";
    public static final String DEVCONTAINER = "devcontainer";
    public static final String FILE_NAME = "workspace-runtime.json";

    public static WorkspaceRuntime directory(String reason) {
        return new WorkspaceRuntime(DIRECTORY, reason, null, null, null);
    }

    public static WorkspaceRuntime devcontainer(String reason, String containerId, String remoteUser,
                                                String remoteWorkspaceFolder) {
        return new WorkspaceRuntime(DEVCONTAINER, reason, containerId, remoteUser, remoteWorkspaceFolder);
    }

    public boolean isDevcontainer() {
        return DEVCONTAINER.equals(kind);
    }

    /** Writes this runtime to {@code <dir>/workspace-runtime.json} (temp file, then rename). */
    public void saveIn(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode json = Json.MAPPER.createObjectNode().put("kind", kind).put("reason", reason);
        if (isDevcontainer()) {
            json.put("containerId", containerId).put("remoteUser", remoteUser)
                .put("remoteWorkspaceFolder", remoteWorkspaceFolder);
        }
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(temp, Json.MAPPER.writeValueAsString(json), StandardCharsets.UTF_8);
        Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The runtime stored in {@code dir}, if any; a workspace created before runtimes existed has none. */
    public static Optional<WorkspaceRuntime> loadFrom(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode json = Json.MAPPER.readTree(file.toFile());
        return Optional.of(new WorkspaceRuntime(json.path("kind").asText(DIRECTORY), json.path("reason").asText(null),
            json.path("containerId").asText(null), json.path("remoteUser").asText(null),
            json.path("remoteWorkspaceFolder").asText(null)));
    }
}
