package dev.handoff.vmagent.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the devcontainer CLI's command line and reads its result. {@code devcontainer up} prints one JSON object
 * on stdout, {@code {"outcome":"success","containerId":...,"remoteUser":...,"remoteWorkspaceFolder":...}} or
 * {@code {"outcome":"error","message":...,"description":...}}; its logs go to stderr.
 */
public final class DevcontainerCli {

    /** Label on every devcontainer Handoff starts, with the workspace id as value; also identifies it on reuse. */
    public static final String WORKSPACE_LABEL = "dev.handoff.workspace";

    private final List<String> command;
    private final String additionalFeatures;

    /**
     * @param command            the devcontainer executable and any leading arguments, normally
     *                           {@code ["devcontainer"]}
     * @param additionalFeatures JSON for {@code --additional-features} (the agents need Node.js in the container),
     *                           or blank for none
     */
    public DevcontainerCli(List<String> command, String additionalFeatures) {
        this.command = List.copyOf(command);
        this.additionalFeatures = additionalFeatures;
    }

    /** The devcontainer CLI's own version command, to see whether it is installed. */
    public List<String> versionCommand() {
        List<String> version = new ArrayList<>(command);
        version.add("--version");
        return version;
    }

    /**
     * {@code devcontainer up} for a workspace; every path in {@code bindMounts} is mounted at the same path inside
     * the container (the agent cache and the agent's home, so the agent command and its HOME work unchanged).
     */
    public List<String> upCommand(String workspaceId, Path workspace, List<Path> bindMounts) {
        List<String> up = new ArrayList<>(command);
        up.addAll(List.of("up", "--workspace-folder", workspace.toString(),
            "--id-label", WORKSPACE_LABEL + "=" + workspaceId));
        for (Path mount : bindMounts) {
            up.addAll(List.of("--mount", "type=bind,source=" + mount + ",target=" + mount));
        }
        if (additionalFeatures != null && !additionalFeatures.isBlank()) {
            up.addAll(List.of("--additional-features", additionalFeatures));
        }
        return up;
    }

    /**
     * Reads the result object from {@code devcontainer up}'s stdout (the last line that is a JSON object with an
     * {@code outcome}).
     *
     * @throws IOException when there is none, or the outcome is not success; the message carries the CLI's own
     */
    public static WorkspaceRuntime parseUpResult(String stdout, String reason) throws IOException {
        JsonNode result = null;
        for (String line : stdout.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("{")) {
                try {
                    JsonNode json = Json.MAPPER.readTree(trimmed);
                    if (json.has("outcome")) {
                        result = json;
                    }
                } catch (IOException e) {
                    // a log line that merely starts with '{'
                }
            }
        }
        if (result == null) {
            throw new IOException("devcontainer up printed no result");
        }
        if (!"success".equals(result.path("outcome").asText())) {
            throw new IOException("devcontainer up failed: " + result.path("message").asText("")
                + (result.hasNonNull("description") ? " (" + result.path("description").asText() + ")" : ""));
        }
        String containerId = result.path("containerId").asText("");
        String folder = result.path("remoteWorkspaceFolder").asText("");
        if (containerId.isBlank() || folder.isBlank()) {
            throw new IOException("devcontainer up succeeded without containerId or remoteWorkspaceFolder: " + result);
        }
        return WorkspaceRuntime.devcontainer(reason, containerId, result.path("remoteUser").asText(null), folder);
    }
}
