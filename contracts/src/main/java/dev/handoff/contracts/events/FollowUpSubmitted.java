package dev.handoff.contracts.events;

/**
 * The user sent a follow-up message ({@code POST /api/sessions/{id}/messages}); it is stored as message
 * {@code messageSeq} of chat session {@code sessionId}, and {@code text} is for the task's agent as its next prompt.
 */
public record FollowUpSubmitted(String sessionId, long messageSeq, String text) implements EventPayload {
}
