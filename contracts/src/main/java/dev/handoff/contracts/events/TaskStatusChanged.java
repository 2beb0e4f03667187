package dev.handoff.contracts.events;

/**
 * The orchestrator moved a task from one status to another. {@code reason} explains failures,
 * {@code stopReason} is the agent's ACP stop reason once a turn ended.
 */
public record TaskStatusChanged(String status, String previousStatus, String reason, String stopReason)
    implements EventPayload {
}
