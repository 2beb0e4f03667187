package dev.handoff.contracts.events;

/**
 * A user submitted a task; its description is the first user message of chat session {@code sessionId}.
 * {@code ownerId} (optional) is the id of the user who submitted the task (in a personal project its owner; in a
 * team's project the member who asked), so nodes and secrets are that user's.
 * {@code permissionPolicy} (optional, null = {@code allow}) is the project's: {@code allow} or {@code ask}.
 * {@code nodeSize} (optional, null = {@code small}) is the project's default node size: small, medium or large.
 * {@code ownerOperator} (optional, null = false) says the owner is one of the installation's operators, the only
 * users the local provider starts nodes for (they run on the control-plane host, as the services' OS user).
 */
public record TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                          String description, String ownerId, String permissionPolicy, String nodeSize,
                          Boolean ownerOperator)
    implements EventPayload {

    /** A TaskCreated without the owner's operator flag (as before local nodes were for operators only). */
    public TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                       String description, String ownerId, String permissionPolicy, String nodeSize) {
        this(projectId, sessionId, repositoryUrl, branch, agent, description, ownerId, permissionPolicy, nodeSize,
            null);
    }

    /** True when the owner is an operator. */
    public boolean byOperator() {
        return Boolean.TRUE.equals(ownerOperator);
    }

    /** A TaskCreated without a node size (as before projects chose one). */
    public TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                       String description, String ownerId, String permissionPolicy) {
        this(projectId, sessionId, repositoryUrl, branch, agent, description, ownerId, permissionPolicy, null, null);
    }

    /** A TaskCreated without an owner or a permission policy (as before either existed). */
    public TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                       String description) {
        this(projectId, sessionId, repositoryUrl, branch, agent, description, null, null, null, null);
    }
}
