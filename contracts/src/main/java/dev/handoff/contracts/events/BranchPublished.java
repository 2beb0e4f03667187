package dev.handoff.contracts.events;

/**
 * After an agent's turn ended, the node committed the workspace's changes on {@code branch} (a
 * {@code handoff/...} branch, never the default branch) and pushed it: {@code result} is {@code pushed},
 * {@code nothing_to_commit} or {@code failed} (with {@code reason}). {@code pullRequestUrl} is set when a pull
 * request is open for the branch; {@code reason} may say why none was opened.
 */
public record BranchPublished(String workspaceId, String branch, String commit, String result, String reason,
                              String pullRequestUrl) implements EventPayload {

    public static final String PUSHED = "pushed";
    public static final String NOTHING_TO_COMMIT = "nothing_to_commit";
    public static final String FAILED = "failed";
}
