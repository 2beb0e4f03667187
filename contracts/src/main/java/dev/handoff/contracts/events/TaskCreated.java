package dev.handoff.contracts.events;

/**
 * A user submitted a task; its description is the first user message of chat session {@code sessionId}.
 * {@code permissionPolicy} (optional, null = {@code allow}) is the project's: {@code allow} or {@code ask}.
 */
public record TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                          String description, String permissionPolicy) implements EventPayload {

    public TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                       String description) {
        this(projectId, sessionId, repositoryUrl, branch, agent, description, null);
    }
}
