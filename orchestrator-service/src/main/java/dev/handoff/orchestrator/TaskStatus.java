package dev.handoff.orchestrator;

import java.util.Locale;

/** Where a task is in its saga. Written to the database and shown to users in lower case. */
public enum TaskStatus {
    /** TaskCreated accepted; nothing requested yet. */
    QUEUED,
    /** NodeRequested sent; waiting for NodeReady. */
    PROVISIONING_NODE,
    /** WorkspaceRequested sent to the node; waiting for WorkspaceReady. */
    CREATING_WORKSPACE,
    /** AgentStartRequested sent; waiting for AgentStarted (the prompt is on the agent's stdin). */
    STARTING_AGENT,
    /** The agent has the prompt and is working on it. */
    RUNNING,
    /** Running, but the agent has produced no output for longer than the stall notice time. */
    STALLED,
    /** The agent's turn ended (stop reason recorded); a follow-up may start the next. */
    TURN_ENDED,
    /** The user sent a follow-up: AgentPromptRequested sent, waiting for AgentPromptDelivered. */
    DELIVERING_PROMPT,
    /** The agent asked the user's permission and waits for the answer; only the task ceiling runs meanwhile. */
    WAITING_FOR_PERMISSION,
    /** A step failed; the reason is recorded. */
    FAILED,
    /** The user cancelled; AgentStopRequested sent to the node, waiting for AgentStopped. */
    CANCELLING,
    /** Cancelled: the node stopped the agent and cleaned the workspace, or there was nothing on a node yet. */
    CANCELLED,
    /** Over after a turn had ended: the node that held the conversation is gone, so no follow-up can reach it. */
    COMPLETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == FAILED || this == CANCELLED || this == COMPLETED;
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
