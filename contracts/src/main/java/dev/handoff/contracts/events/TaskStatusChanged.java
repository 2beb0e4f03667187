package dev.handoff.contracts.events;

/**
 * The orchestrator moved a task from one status to another because of an event of type {@code cause}.
 * {@code reason} explains failures and stalls, and on the way to starting_agent where the agent runs (plain
 * directory or devcontainer); {@code stopReason} is the agent's ACP stop reason once a turn ended. Optional:
 * {@code retryAttempt}, set when a step failed for a transient reason and will be tried again: the number of the
 * coming attempt ({@code reason} then says what failed and when the retry is; the status stays the step's).
 * Optional: {@code lastSequence}, set on turn_ended: the sequence of the turn's last agent output, so that a reader
 * of the transcript (chat-service) shows the turn ended only once it holds the output up to there.
 */
public record TaskStatusChanged(String status, String previousStatus, String cause, String reason, String stopReason,
                                Integer retryAttempt, Long lastSequence) implements EventPayload {

    /** Not a turn's end. */
    public TaskStatusChanged(String status, String previousStatus, String cause, String reason, String stopReason,
                             Integer retryAttempt) {
        this(status, previousStatus, cause, reason, stopReason, retryAttempt, null);
    }

    /** Not a retry. */
    public TaskStatusChanged(String status, String previousStatus, String cause, String reason, String stopReason) {
        this(status, previousStatus, cause, reason, stopReason, null, null);
    }
}
