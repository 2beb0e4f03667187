package dev.handoff.contracts.events;

/** The task's work is finished. */
public record TaskCompleted(String summary) implements EventPayload {
}
