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
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == FAILED;
    }

    /** Whether a deadline applies: every step until the turn ends. */
    public boolean hasDeadline() {
        return this != TURN_ENDED && this != FAILED;
    }
}
