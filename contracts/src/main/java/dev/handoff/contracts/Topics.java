package dev.handoff.contracts;

/**
 * Every Kafka topic Handoff uses. Topic names are defined here and nowhere else.
 * Records are keyed by task id (node id for node-scoped events), so one task's events stay in order.
 */
public final class Topics {

    /**
     * Task lifecycle: TaskCreated, TaskCancelRequested, FollowUpSubmitted, PermissionAnswered (chat-service);
     * TaskStatusChanged, TaskCompleted, TaskFailed (orchestrator).
     */
    public static final String TASK_EVENTS = "handoff.task-events";

    /** Commands to the provisioner: NodeRequested (orchestrator). */
    public static final String PROVISIONER_COMMANDS = "handoff.provisioner-commands";

    /** Facts about nodes from the provisioner: NodeRegistered, NodeReady, NodeFailed, NodeDeleted, NodeLost. */
    public static final String PROVISIONER_EVENTS = "handoff.provisioner-events";

    /** Facts about node connections from the gateway: NodeConnected, NodeDisconnected, NodeHeartbeat (sampled). */
    public static final String GATEWAY_EVENTS = "handoff.gateway-events";

    /**
     * Commands routed to a connected node: WorkspaceRequested, AgentStartRequested, AgentStopRequested,
     * AgentPromptRequested, PermissionAnswerRequested (orchestrator).
     */
    public static final String NODE_COMMANDS = "handoff.node-commands";

    /**
     * Reports from nodes, turned into events by the gateway: WorkspaceReady, WorkspaceFailed, AgentStarted,
     * AgentFailed, AgentOutput, AgentTurnEnded, AgentStopped, AgentPromptDelivered, PermissionRequested. Output and turn end share this topic so they stay in
     * order.
     */
    public static final String NODE_REPORTS = "handoff.node-reports";

    /** Events no consumer could process, with the reason in headers. */
    public static final String DEAD_LETTERS = "handoff.dead-letters";

    public static final String[] ALL = {
        TASK_EVENTS, PROVISIONER_COMMANDS, PROVISIONER_EVENTS, GATEWAY_EVENTS, NODE_COMMANDS, NODE_REPORTS, DEAD_LETTERS
    };

    private Topics() {
    }
}
