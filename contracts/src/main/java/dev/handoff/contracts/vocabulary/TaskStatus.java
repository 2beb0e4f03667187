package dev.handoff.contracts.vocabulary;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a task is in its saga: the orchestrator decides it, every other part (chat-service, the web page, the CLI,
 * the bench) reads it. On the wire, in the databases and to users it is the lower-case {@link #wireName()}
 * ({@code turn_ended}); what each status means for what a user may do is decided here, once.
 */
public enum TaskStatus {
    /** TaskCreated accepted; nothing requested yet. */
    QUEUED("Task created", "Creating the task"),
    /** NodeRequested sent; waiting for NodeReady. */
    PROVISIONING_NODE("Node requested", "Requesting a node"),
    /** WorkspaceRequested sent to the node; waiting for WorkspaceReady. */
    CREATING_WORKSPACE("Node ready", "Waiting for the node"),
    /** AgentStartRequested sent; waiting for AgentStarted (the prompt is on the agent's stdin). */
    STARTING_AGENT("Workspace ready", "Cloning the repository"),
    /** The agent has the prompt and is working on it. */
    RUNNING("Agent started", "Starting the agent"),
    /** Running, but the agent has produced no output for longer than the stall notice time. */
    STALLED("Stalled", null),
    /** The agent's turn ended (stop reason recorded); a follow-up may start the next. */
    TURN_ENDED("Turn ended", "Agent working"),
    /** The user sent a follow-up: AgentPromptRequested sent, waiting for AgentPromptDelivered. */
    DELIVERING_PROMPT("Follow-up sent", null),
    /** The agent asked the user's permission and waits for the answer; only the task ceiling runs meanwhile. */
    WAITING_FOR_PERMISSION("Waiting for your answer", null),
    /** A step failed; the reason is recorded. */
    FAILED("Failed", null),
    /** The user cancelled; AgentStopRequested sent to the node, waiting for AgentStopped. */
    CANCELLING("Cancelling", null),
    /** Cancelled: the node stopped the agent and cleaned the workspace, or there was nothing on a node yet. */
    CANCELLED("Cancelled", null),
    /** Over after a turn had ended: the node that held the conversation is gone, so no follow-up can reach it. */
    COMPLETED("Completed", null);

    private static final Map<String, TaskStatus> BY_WIRE_NAME = Arrays.stream(values())
        .collect(Collectors.toUnmodifiableMap(TaskStatus::wireName, Function.identity()));

    private final String label;
    private final String waitingLabel;

    TaskStatus(String label, String waitingLabel) {
        this.label = label;
        this.waitingLabel = waitingLabel;
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /** How a person reads the step once it happened ("Node ready" when the saga moved to creating_workspace). */
    public String label() {
        return label;
    }

    /**
     * For the steps of a task's first turn (queued to turn_ended, in this order), what the user waits for until
     * the saga gets here ("Waiting for the node" before creating_workspace); null for every other status.
     */
    public String waitingLabel() {
        return waitingLabel;
    }

    /** Whether reaching this status is a step of every task's first turn. */
    public boolean isFirstTurnStep() {
        return waitingLabel != null;
    }

    /** Whether this status means something went wrong or was given up (shown as such). */
    public boolean isSetback() {
        return this == FAILED || this == CANCELLED || this == STALLED;
    }

    /** The status of a wire name, or empty for a name no version of Handoff ever sent. */
    public static Optional<TaskStatus> byWireName(String wireName) {
        return Optional.ofNullable(wireName == null ? null : BY_WIRE_NAME.get(wireName));
    }

    /** @throws IllegalArgumentException for a name that is not a task status */
    @JsonCreator
    public static TaskStatus ofWireName(String wireName) {
        return byWireName(wireName).orElseThrow(() -> new IllegalArgumentException("unknown task status '"
            + wireName + "'"));
    }

    /** Whether the task is over: nothing runs for it any more and nothing can be asked of it. */
    public boolean isTerminal() {
        return this == FAILED || this == CANCELLED || this == COMPLETED;
    }

    /** Whether the task is over or on its way there (cancelling): no follow-up or permission answer is taken. */
    public boolean isEndedOrEnding() {
        return isTerminal() || this == CANCELLING;
    }

    /** Whether a cancel may be asked for now: the task is not over, and not being cancelled already. */
    public boolean isCancellable() {
        return !isEndedOrEnding();
    }

    /** Whether the node may have an agent process or a workspace for the task, which a cancel must stop. */
    public boolean mayHaveAgentOrWorkspace() {
        return this == CREATING_WORKSPACE || this == STARTING_AGENT || this == RUNNING || this == STALLED
            || this == TURN_ENDED || this == DELIVERING_PROMPT || this == WAITING_FOR_PERMISSION;
    }

    /** Whether the agent is in a turn: running, stalled, or waiting for the user's permission. */
    public boolean isInTurn() {
        return this == RUNNING || this == STALLED || this == WAITING_FOR_PERMISSION;
    }

    /**
     * Whether a deadline applies: to every status but the end states (while waiting for permission only the
     * ceiling; after a turn only the conversation's idle time).
     */
    public boolean hasDeadline() {
        return !isTerminal();
    }

    /** Whether something is under way for the task: not ended, and not idle between turns. */
    public boolean isInFlight() {
        return !isTerminal() && this != TURN_ENDED;
    }
}
