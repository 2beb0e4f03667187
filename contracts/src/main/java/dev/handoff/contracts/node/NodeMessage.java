package dev.handoff.contracts.node;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The node protocol: JSON text frames on the WebSocket a node dials to the gateway.
 * The {@code type} field names the message. A node's first frame must be {@link Hello}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NodeMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = NodeMessage.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = NodeMessage.Refused.class, name = "refused"),
    @JsonSubTypes.Type(value = NodeMessage.CreateWorkspace.class, name = "create_workspace"),
    @JsonSubTypes.Type(value = NodeMessage.StartAgent.class, name = "start_agent"),
    @JsonSubTypes.Type(value = NodeMessage.WorkspaceReadyReport.class, name = "workspace_ready"),
    @JsonSubTypes.Type(value = NodeMessage.WorkspaceFailedReport.class, name = "workspace_failed"),
    @JsonSubTypes.Type(value = NodeMessage.AgentStartedReport.class, name = "agent_started"),
    @JsonSubTypes.Type(value = NodeMessage.AgentFailedReport.class, name = "agent_failed"),
    @JsonSubTypes.Type(value = NodeMessage.AgentOutputReport.class, name = "agent_output"),
    @JsonSubTypes.Type(value = NodeMessage.TurnEndedReport.class, name = "turn_ended"),
    @JsonSubTypes.Type(value = NodeMessage.NumberedReport.class, name = "report"),
    @JsonSubTypes.Type(value = NodeMessage.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = NodeMessage.StopAgent.class, name = "stop_agent"),
    @JsonSubTypes.Type(value = NodeMessage.AgentStoppedReport.class, name = "agent_stopped"),
    @JsonSubTypes.Type(value = NodeMessage.Heartbeat.class, name = "heartbeat"),
})
public sealed interface NodeMessage {

    /** Node to gateway, first frame: proves identity with the one-time token, or with the reconnect secret. */
    record Hello(String nodeId, String token, String reconnectSecret, String hostname, String agentVersion)
        implements NodeMessage {
    }

    /** Gateway to node: accepted. {@code reconnectSecret} replaces the one-time token for later reconnects. */
    record Welcome(String nodeId, String reconnectSecret) implements NodeMessage {
    }

    /** Gateway to node: refused; the gateway closes the connection after this. */
    record Refused(String reason) implements NodeMessage {
    }

    /** Gateway to node: clone the repository into a new workspace. {@code commandId} is the command event's id. */
    record CreateWorkspace(String commandId, String taskId, String workspaceId, String repositoryUrl, String branch)
        implements NodeMessage {
    }

    /** Gateway to node: start the agent in the workspace and deliver {@code prompt} as its first session/prompt. */
    record StartAgent(String commandId, String taskId, String workspaceId, String deliveryId, String agent,
                      String prompt) implements NodeMessage {
    }

    /** Node to gateway: the workspace is cloned at {@code path}. */
    record WorkspaceReadyReport(String commandId, String taskId, String workspaceId, String path)
        implements NodeMessage {
    }

    /** Node to gateway: the workspace could not be created. */
    record WorkspaceFailedReport(String commandId, String taskId, String workspaceId, String reason)
        implements NodeMessage {
    }

    /** Node to gateway: the agent accepted session/new and the prompt was written to its stdin. */
    record AgentStartedReport(String commandId, String taskId, String deliveryId, String agentSessionId,
                              String agent) implements NodeMessage {
    }

    /** Node to gateway: the agent could not be started or died. */
    record AgentFailedReport(String commandId, String taskId, String deliveryId, String reason)
        implements NodeMessage {
    }

    /** Node to gateway: one session/update of the agent, numbered per agent session from 1. */
    record AgentOutputReport(String commandId, String taskId, String agentSessionId, long sequence, String kind,
                             JsonNode update) implements NodeMessage {
    }

    /** Node to gateway: session/prompt returned; the turn ended. */
    record TurnEndedReport(String commandId, String taskId, String agentSessionId, String stopReason,
                           long lastSequence) implements NodeMessage {
    }

    /**
     * Node to gateway: a report carried with its number in the node's report stream. A vm-agent process opens one
     * stream (a random id) and numbers every report in it 1, 2, 3... in the order it made them; it keeps each
     * report until the gateway acknowledges it and, after every Welcome, sends the unacknowledged ones again in
     * the same order. The gateway makes an event of each number once.
     */
    record NumberedReport(String stream, long number, NodeMessage report) implements NodeMessage {
    }

    /**
     * Gateway to node: every report of {@code stream} numbered up to {@code upTo} is durably taken (its event is
     * committed to the gateway's outbox, or it was a duplicate of one that was); the node may forget them.
     */
    record Ack(String stream, long upTo) implements NodeMessage {
    }

    /**
     * Gateway to node: stop the agent of {@code deliveryId} (null: none was started) and, when
     * {@code cleanWorkspace}, delete the workspace and the agent's home.
     */
    record StopAgent(String commandId, String taskId, String workspaceId, String deliveryId, String reason,
                     boolean cleanWorkspace) implements NodeMessage {
    }

    /**
     * Node to gateway: the agent is stopped; {@code how} is {@code cancelled}, {@code killed} or
     * {@code not_running}.
     */
    record AgentStoppedReport(String commandId, String taskId, String deliveryId, String how,
                              boolean workspaceCleaned) implements NodeMessage {
    }

    /**
     * Node to gateway, every heartbeat interval while welcomed: the node's vital signs. Not numbered, never
     * resent; the gateway keeps only the latest (see {@link dev.handoff.contracts.events.NodeHeartbeat}).
     */
    record Heartbeat(double loadAverage, int cpus, long memoryTotalBytes, long memoryAvailableBytes,
                     long diskFreeBytes) implements NodeMessage {
    }
}
