package dev.handoff.contracts;

import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.AgentPromptRequested;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.contracts.events.AgentStopRequested;
import dev.handoff.contracts.events.AgentStopped;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.contracts.events.BranchPublished;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.FollowUpSubmitted;
import dev.handoff.contracts.events.NodeConnected;
import dev.handoff.contracts.events.NodeDeleted;
import dev.handoff.contracts.events.NodeDisconnected;
import dev.handoff.contracts.events.NodeFailed;
import dev.handoff.contracts.events.NodeHeartbeat;
import dev.handoff.contracts.events.NodeLost;
import dev.handoff.contracts.events.NodeReady;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.contracts.events.NodeRequested;
import dev.handoff.contracts.events.PermissionAnswerRequested;
import dev.handoff.contracts.events.PermissionAnswered;
import dev.handoff.contracts.events.PermissionRequested;
import dev.handoff.contracts.events.TaskCancelRequested;
import dev.handoff.contracts.events.TaskCompleted;
import dev.handoff.contracts.events.TaskCreated;
import dev.handoff.contracts.events.TaskFailed;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.events.WorkspaceReady;
import dev.handoff.contracts.events.WorkspaceRequested;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of event and command types: stable logical name, current schema version, payload class
 * and topic. The logical name is what travels on the wire; Java class names never do.
 */
public enum EventType {
    TASK_CREATED("TaskCreated", 1, TaskCreated.class, Topics.TASK_EVENTS),
    TASK_STATUS_CHANGED("TaskStatusChanged", 1, TaskStatusChanged.class, Topics.TASK_EVENTS),
    TASK_COMPLETED("TaskCompleted", 1, TaskCompleted.class, Topics.TASK_EVENTS),
    TASK_FAILED("TaskFailed", 1, TaskFailed.class, Topics.TASK_EVENTS),
    NODE_REQUESTED("NodeRequested", 1, NodeRequested.class, Topics.PROVISIONER_COMMANDS),
    NODE_REGISTERED("NodeRegistered", 1, NodeRegistered.class, Topics.PROVISIONER_EVENTS),
    NODE_READY("NodeReady", 1, NodeReady.class, Topics.PROVISIONER_EVENTS),
    NODE_FAILED("NodeFailed", 1, NodeFailed.class, Topics.PROVISIONER_EVENTS),
    NODE_CONNECTED("NodeConnected", 1, NodeConnected.class, Topics.GATEWAY_EVENTS),
    NODE_DISCONNECTED("NodeDisconnected", 1, NodeDisconnected.class, Topics.GATEWAY_EVENTS),
    WORKSPACE_REQUESTED("WorkspaceRequested", 1, WorkspaceRequested.class, Topics.NODE_COMMANDS),
    WORKSPACE_READY("WorkspaceReady", 1, WorkspaceReady.class, Topics.NODE_REPORTS),
    WORKSPACE_FAILED("WorkspaceFailed", 1, WorkspaceFailed.class, Topics.NODE_REPORTS),
    AGENT_START_REQUESTED("AgentStartRequested", 1, AgentStartRequested.class, Topics.NODE_COMMANDS),
    AGENT_STARTED("AgentStarted", 1, AgentStarted.class, Topics.NODE_REPORTS),
    AGENT_FAILED("AgentFailed", 1, AgentFailed.class, Topics.NODE_REPORTS),
    AGENT_OUTPUT("AgentOutput", 1, AgentOutput.class, Topics.NODE_REPORTS),
    AGENT_TURN_ENDED("AgentTurnEnded", 1, AgentTurnEnded.class, Topics.NODE_REPORTS),
    TASK_CANCEL_REQUESTED("TaskCancelRequested", 1, TaskCancelRequested.class, Topics.TASK_EVENTS),
    AGENT_STOP_REQUESTED("AgentStopRequested", 1, AgentStopRequested.class, Topics.NODE_COMMANDS),
    AGENT_STOPPED("AgentStopped", 1, AgentStopped.class, Topics.NODE_REPORTS),
    BRANCH_PUBLISHED("BranchPublished", 1, BranchPublished.class, Topics.NODE_REPORTS),
    FOLLOW_UP_SUBMITTED("FollowUpSubmitted", 1, FollowUpSubmitted.class, Topics.TASK_EVENTS),
    AGENT_PROMPT_REQUESTED("AgentPromptRequested", 1, AgentPromptRequested.class, Topics.NODE_COMMANDS),
    AGENT_PROMPT_DELIVERED("AgentPromptDelivered", 1, AgentPromptDelivered.class, Topics.NODE_REPORTS),
    PERMISSION_REQUESTED("PermissionRequested", 1, PermissionRequested.class, Topics.NODE_REPORTS),
    PERMISSION_ANSWERED("PermissionAnswered", 1, PermissionAnswered.class, Topics.TASK_EVENTS),
    PERMISSION_ANSWER_REQUESTED("PermissionAnswerRequested", 1, PermissionAnswerRequested.class,
        Topics.NODE_COMMANDS),
    NODE_HEARTBEAT("NodeHeartbeat", 1, NodeHeartbeat.class, Topics.GATEWAY_EVENTS),
    NODE_DELETED("NodeDeleted", 1, NodeDeleted.class, Topics.PROVISIONER_EVENTS),
    NODE_LOST("NodeLost", 1, NodeLost.class, Topics.PROVISIONER_EVENTS);

    private static final Map<String, EventType> BY_NAME =
        Arrays.stream(values()).collect(Collectors.toMap(EventType::logicalName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
        Arrays.stream(values()).collect(Collectors.toMap(EventType::payloadClass, Function.identity()));

    private final String logicalName;
    private final int schemaVersion;
    private final Class<? extends EventPayload> payloadClass;
    private final String topic;

    EventType(String logicalName, int schemaVersion, Class<? extends EventPayload> payloadClass, String topic) {
        this.logicalName = logicalName;
        this.schemaVersion = schemaVersion;
        this.payloadClass = payloadClass;
        this.topic = topic;
    }

    public String logicalName() {
        return logicalName;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public Class<? extends EventPayload> payloadClass() {
        return payloadClass;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> byName(String logicalName) {
        return Optional.ofNullable(BY_NAME.get(logicalName));
    }

    public static EventType of(EventPayload payload) {
        EventType type = BY_CLASS.get(payload.getClass());
        if (type == null) {
            throw new IllegalArgumentException("not a registered payload: " + payload.getClass().getName());
        }
        return type;
    }
}
