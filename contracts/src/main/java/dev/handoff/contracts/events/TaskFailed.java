package dev.handoff.contracts.events;

/** The task ended without success at {@code step}; {@code reason} is written for the user. */
public record TaskFailed(String step, String reason) implements EventPayload {
}
