package dev.handoff.contracts.events;

/**
 * The orchestrator moved a task from one status to another because of an event of type {@code cause}.
 * {@code reason} explains failures and stalls, and on the way to starting_agent where the agent runs (plain
 * directory or devcontainer); {@code stopReason} is the agent's ACP stop reason once a turn ended.
 */
public record TaskStatusChanged(String status, String previousStatus, String cause, String reason, String stopReason)
    implements EventPayload {
}
