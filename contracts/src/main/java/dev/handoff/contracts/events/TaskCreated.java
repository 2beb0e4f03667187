package dev.handoff.contracts.events;

/**
 * A user submitted a task; its description is the first user message of chat session {@code sessionId}.
 * {@code ownerId} (optional) is the id of the user who owns the project, so nodes can be scoped per user.
 */
public record TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                          String description, String ownerId) implements EventPayload {

    /** A TaskCreated without an owner (as before owners existed). */
    public TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                       String description) {
        this(projectId, sessionId, repositoryUrl, branch, agent, description, null);
    }
}
