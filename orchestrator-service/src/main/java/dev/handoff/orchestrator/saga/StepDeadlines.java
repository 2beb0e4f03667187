package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.vocabulary.TaskStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The time each step may take, and the check whether a task is past it. No task stays in a step silently: a step
 * that runs out of time fails the task with a reason a user understands.
 *
 * @param node        from NodeRequested to NodeReady (a cloud VM can take minutes)
 * @param workspace   from WorkspaceRequested to WorkspaceReady (a large clone can take long)
 * @param agentStart  from AgentStartRequested to AgentStarted, and from AgentPromptRequested to AgentPromptDelivered
 * @param firstOutput from AgentStarted to the agent's first output
 * @param stallNotice no output for this long while running: the task shows as stalled
 * @param stallLimit  no output for this long while running: the task fails
 * @param ceiling     the longest any task may run, from its creation
 * @param cancel      from AgentStopRequested (cancelling) to AgentStopped; then the task is cancelled anyway
 * @param conversationIdle from the end of a turn with no follow-up; then the conversation is over (the task is
 *                         completed and its node released)
 */
public record StepDeadlines(Duration node, Duration workspace, Duration agentStart, Duration firstOutput,
                            Duration stallNotice, Duration stallLimit, Duration ceiling, Duration cancel,
                            Duration conversationIdle) {

    /**
     * Whether a task in {@code status} since {@code statusSince}, created at {@code createdAt}, whose agent last
     * wrote output at {@code lastOutputAt} (null: never), is past a deadline at {@code now}.
     */
    public Optional<Overdue> check(TaskStatus status, Instant createdAt, Instant statusSince, Instant lastOutputAt,
                                   Instant now) {
        if (!status.hasDeadline()) {
            return Optional.empty();
        }
        if (status == TaskStatus.TURN_ENDED) {
            // Between turns only the idle time counts: a conversation may go on for days while the user answers.
            return when(passed(statusSince, conversationIdle, now), "idle",
                "the conversation had no follow-up for " + human(conversationIdle));
        }
        if (status == TaskStatus.CANCELLING) {
            return when(passed(statusSince, cancel, now), "cancel",
                "the node did not confirm the cancel within " + human(cancel));
        }
        if (passed(createdAt, ceiling, now)) {
            return Optional.of(new Overdue("ceiling", "the task ran longer than its limit of " + human(ceiling),
                false));
        }
        return switch (status) {
            case QUEUED, PROVISIONING_NODE -> when(passed(statusSince, node, now), "node",
                "the node did not connect within " + human(node));
            case CREATING_WORKSPACE -> when(passed(statusSince, workspace, now), "workspace",
                "the workspace was not ready within " + human(workspace));
            case STARTING_AGENT -> when(passed(statusSince, agentStart, now), "agent",
                "the agent did not start within " + human(agentStart));
            case DELIVERING_PROMPT -> when(passed(statusSince, agentStart, now), "agent",
                "the agent did not take the follow-up within " + human(agentStart));
            case RUNNING, STALLED -> checkOutput(status, statusSince, lastOutputAt, now);
            default -> Optional.empty();
        };
    }

    private Optional<Overdue> checkOutput(TaskStatus status, Instant statusSince, Instant lastOutputAt, Instant now) {
        if (lastOutputAt == null) {
            return when(passed(statusSince, firstOutput, now), "first output",
                "the agent produced no output within " + human(firstOutput) + " of receiving the task");
        }
        if (passed(lastOutputAt, stallLimit, now)) {
            return Optional.of(new Overdue("stall", "the agent produced no output for " + human(stallLimit), false));
        }
        if (status == TaskStatus.RUNNING && passed(lastOutputAt, stallNotice, now)) {
            return Optional.of(new Overdue("stall", "the agent has produced no output for " + human(stallNotice),
                true));
        }
        return Optional.empty();
    }

    private static Optional<Overdue> when(boolean passed, String step, String reason) {
        return passed ? Optional.of(new Overdue(step, reason, false)) : Optional.empty();
    }

    private static boolean passed(Instant since, Duration allowed, Instant now) {
        return since != null && !now.isBefore(since.plus(allowed));
    }

    /** "10 minutes", "1 hour", "30 seconds", "1 minute 30 seconds". */
    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            return duration.toMillis() + " ms";
        }
        StringBuilder text = new StringBuilder();
        append(text, seconds / 3600, "hour");
        append(text, seconds % 3600 / 60, "minute");
        append(text, seconds % 60, "second");
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(amount).append(' ').append(unit).append(amount == 1 ? "" : "s");
        }
    }
}
