package dev.handoff.contracts.events;

/**
 * The orchestrator moved a task from one status to another because of an event of type {@code cause}.
 * {@code reason} explains failures, {@code stopReason} is the agent's ACP stop reason once a turn ended.
 */
public record TaskStatusChanged(String status, String previousStatus, String cause, String reason, String stopReason)
    implements EventPayload {
}
