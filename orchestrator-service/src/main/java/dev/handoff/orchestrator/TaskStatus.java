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
    /** The agent's turn ended (stop reason recorded). */
    TURN_ENDED,
    /** A step failed; the reason is recorded. */
    FAILED,
    /** The user cancelled; AgentStopRequested sent to the node, waiting for AgentStopped. */
    CANCELLING,
    /** Cancelled: the node stopped the agent and cleaned the workspace, or there was nothing on a node yet. */
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == FAILED || this == CANCELLED;
    }

    /** Whether the node may have an agent process or a workspace for the task, which a cancel must stop. */
    public boolean mayHaveAgentOrWorkspace() {
        return this == CREATING_WORKSPACE || this == STARTING_AGENT || this == RUNNING || this == STALLED
            || this == TURN_ENDED;
    }

    /** Whether a deadline applies: every step until the turn ends. */
    public boolean hasDeadline() {
        return this != TURN_ENDED && !isTerminal();
    }
}
