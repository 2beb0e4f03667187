package dev.handoff.contracts.events;

/**
 * A user submitted a task; its description is the first user message of chat session {@code sessionId}.
 * {@code ownerId} (optional) is the id of the user who submitted the task (in a personal project its owner; in a
 * team's project the member who asked), so nodes and secrets are that user's.
 * {@code permissionPolicy} (optional, null = {@code allow}) is the project's: {@code allow} or {@code ask}.
 * {@code nodeSize} (optional, null = {@code small}) is the project's default node size: small, medium or large.
 */
public record TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                          String description, String ownerId, String permissionPolicy, String nodeSize)
    implements EventPayload {

    /** A TaskCreated without a node size (as before projects chose one). */
    public TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                       String description, String ownerId, String permissionPolicy) {
        this(projectId, sessionId, repositoryUrl, branch, agent, description, ownerId, permissionPolicy, null);
    }

    /** A TaskCreated without an owner or a permission policy (as before either existed). */
    public TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                       String description) {
        this(projectId, sessionId, repositoryUrl, branch, agent, description, null, null, null);
    }
}
