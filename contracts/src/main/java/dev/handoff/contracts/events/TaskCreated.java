package dev.handoff.contracts.events;

/** A user submitted a task; its description is the first user message of chat session {@code sessionId}. */
public record TaskCreated(String projectId, String sessionId, String repositoryUrl, String branch, String agent,
                          String description) implements EventPayload {
}
