package dev.handoff.orchestrator.saga;

/**
 * A task that ran out of time at {@code step}. {@code stallNotice} marks the soft stall, which only makes the
 * task visibly stalled; everything else fails it. {@code reason} is written for the user.
 */
public record Overdue(String step, String reason, boolean stallNotice) {
}
