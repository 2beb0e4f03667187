package dev.handoff.contracts.events;

/** The user asked to cancel the task (chat-service, {@code POST /api/tasks/{id}/cancel}), for {@code reason}. */
public record TaskCancelRequested(String reason) implements EventPayload {
}
