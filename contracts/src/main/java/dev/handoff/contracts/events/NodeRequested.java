package dev.handoff.contracts.events;

/** Command: the task needs a node able to run {@code agent}. {@code size} is small, medium or large. */
public record NodeRequested(String agent, String size) implements EventPayload {
}
