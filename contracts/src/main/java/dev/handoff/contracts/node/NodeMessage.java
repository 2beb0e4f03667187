package dev.handoff.contracts.node;

import com.fasterxml.jackson.annotation.JsonInclude;
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
    @JsonSubTypes.Type(value = NodeMessage.ReportRefused.class, name = "report_refused"),
    @JsonSubTypes.Type(value = NodeMessage.StopAgent.class, name = "stop_agent"),
    @JsonSubTypes.Type(value = NodeMessage.AgentStoppedReport.class, name = "agent_stopped"),
    @JsonSubTypes.Type(value = NodeMessage.BranchPublishedReport.class, name = "branch_published"),
    @JsonSubTypes.Type(value = NodeMessage.SendPrompt.class, name = "send_prompt"),
    @JsonSubTypes.Type(value = NodeMessage.PromptDeliveredReport.class, name = "prompt_delivered"),
    @JsonSubTypes.Type(value = NodeMessage.PermissionRequestedReport.class, name = "permission_requested"),
    @JsonSubTypes.Type(value = NodeMessage.AnswerPermission.class, name = "answer_permission"),
    @JsonSubTypes.Type(value = NodeMessage.Heartbeat.class, name = "heartbeat"),
})
public sealed interface NodeMessage {

    /** Node to gateway, first frame: proves identity with the one-time token, or with the reconnect secret. */
    record Hello(String nodeId, String token, String reconnectSecret, String hostname, String agentVersion)
        implements NodeMessage {
    }

    /**
     * Gateway to node: accepted. {@code reconnectSecret} replaces the one-time token for later reconnects; a new one
     * comes with every Welcome. The node keeps it (on disk, so a restarted vm-agent rejoins) before it sends anything
     * else on the connection: the gateway takes the node's first frame as proof and from then on refuses the secret
     * the node said hello with. {@code maxFrameBytes} (optional; null from gateways before it existed) is the largest
     * frame, in UTF-8 bytes, the gateway reads: it closes the connection with 1009 on a bigger one, so the node fits
     * its reports under it. {@code silentAfterSeconds} (optional; null from gateways before it existed) is how long
     * the gateway waits without any frame from the node before it closes the connection as dead (1008) and reports
     * the node disconnected: the node sends a heartbeat well within it.
     */
    record Welcome(String nodeId, String reconnectSecret, Integer maxFrameBytes, Integer silentAfterSeconds)
        implements NodeMessage {

        /** Without a frame limit: the node assumes {@link NodeProtocol#DEFAULT_MAX_FRAME_BYTES}. */
        public Welcome(String nodeId, String reconnectSecret) {
            this(nodeId, reconnectSecret, null, null);
        }

        /** Without a silence limit (gateways before it existed). */
        public Welcome(String nodeId, String reconnectSecret, Integer maxFrameBytes) {
            this(nodeId, reconnectSecret, maxFrameBytes, null);
        }
    }

    /** Gateway to node: refused; the gateway closes the connection after this. */
    record Refused(String reason) implements NodeMessage {
    }

    /**
     * Gateway to node: clone the repository into a new workspace. {@code commandId} is the command event's id.
     * {@code secrets} (optional) carries the git token for a private repository; it is never stored on Kafka.
     */
    record CreateWorkspace(String commandId, String taskId, String workspaceId, String repositoryUrl, String branch,
                           NodeSecrets secrets) implements NodeMessage {

        /** Without secrets: a public repository. */
        public CreateWorkspace(String commandId, String taskId, String workspaceId, String repositoryUrl,
                               String branch) {
            this(commandId, taskId, workspaceId, repositoryUrl, branch, null);
        }
    }

    /**
     * Gateway to node: start the agent in the workspace and deliver {@code prompt} as its first session/prompt.
     * Optional: {@code permissionPolicy} (null = {@code allow}; {@code ask} relays permission requests to the
     * user), {@code chatUrl}, the public page of the task's chat (linked from the pull request), and {@code secrets}
     * (the git token for push and pull request, the agent's API key).
     */
    record StartAgent(String commandId, String taskId, String workspaceId, String deliveryId, String agent,
                      String prompt, String permissionPolicy, String chatUrl, NodeSecrets secrets)
        implements NodeMessage {

        /** Without permission policy, chat link and secrets. */
        public StartAgent(String commandId, String taskId, String workspaceId, String deliveryId, String agent,
                          String prompt) {
            this(commandId, taskId, workspaceId, deliveryId, agent, prompt, null, null, null);
        }
    }

    /**
     * Node to gateway: the workspace is cloned at {@code path}. {@code runtime} (optional) says where its agent
     * runs, {@code directory} or {@code devcontainer}, and {@code runtimeReason} (optional) why.
     */
    record WorkspaceReadyReport(String commandId, String taskId, String workspaceId, String path, String runtime,
                                String runtimeReason) implements NodeMessage {

        /** Without runtime: as sent by vm-agents before runtimes existed. */
        public WorkspaceReadyReport(String commandId, String taskId, String workspaceId, String path) {
            this(commandId, taskId, workspaceId, path, null, null);
        }
    }

    /**
     * Node to gateway: the workspace could not be created. Optional: {@code retryable} (the node's classification:
     * true transient, false permanent, null not classified) and {@code failureKind}, as in
     * {@link dev.handoff.contracts.events.WorkspaceFailed}.
     */
    record WorkspaceFailedReport(String commandId, String taskId, String workspaceId, String reason,
                                 Boolean retryable, String failureKind) implements NodeMessage {

        /** Not classified. */
        public WorkspaceFailedReport(String commandId, String taskId, String workspaceId, String reason) {
            this(commandId, taskId, workspaceId, reason, null, null);
        }
    }

    /** Node to gateway: the agent accepted session/new and the prompt was written to its stdin. */
    record AgentStartedReport(String commandId, String taskId, String deliveryId, String agentSessionId,
                              String agent) implements NodeMessage {
    }

    /**
     * Node to gateway: the agent could not be started or died. Optional: {@code retryable} and {@code failureKind},
     * as in {@link dev.handoff.contracts.events.AgentFailed}.
     */
    record AgentFailedReport(String commandId, String taskId, String deliveryId, String reason, Boolean retryable,
                             String failureKind) implements NodeMessage {

        /** Not classified. */
        public AgentFailedReport(String commandId, String taskId, String deliveryId, String reason) {
            this(commandId, taskId, deliveryId, reason, null, null);
        }
    }

    /** Node to gateway: one session/update of the agent, numbered per agent session from 1. */
    record AgentOutputReport(String commandId, String taskId, String agentSessionId, long sequence, String kind,
                             JsonNode update, @JsonInclude(JsonInclude.Include.NON_NULL) Long firstSequence)
        implements NodeMessage {

        /** One update. */
        public AgentOutputReport(String commandId, String taskId, String agentSessionId, long sequence, String kind,
                                 JsonNode update) {
            this(commandId, taskId, agentSessionId, sequence, kind, update, null);
        }

        /** The sequence of the first update this report holds ({@code firstSequence}, null: only {@code sequence}). */
        public long fromSequence() {
            return firstSequence == null ? sequence : firstSequence;
        }
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
     * Gateway to node: report {@code number} of {@code stream} made no event because it was not this node's to make
     * (it names a command that was not routed to this node, or a task this node does not hold); {@code reason} says
     * which. Sent just before the {@link Ack} that covers the number, so the node's stream goes on.
     */
    record ReportRefused(String stream, long number, String reason) implements NodeMessage {
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
     * Gateway to node: write {@code prompt} as the next session/prompt of the agent of {@code deliveryId}, once per
     * {@code promptId}. If that agent is gone, start it again in the workspace, load session {@code agentSessionId}
     * (or open a new one) and number its output after {@code afterSequence}. {@code chatUrl} and {@code secrets}
     * (optional) as for {@link StartAgent}: a restarted agent needs its API key, the push after the turn the git
     * token.
     */
    record SendPrompt(String commandId, String taskId, String workspaceId, String deliveryId, String promptId,
                      String agent, String prompt, String agentSessionId, long afterSequence,
                      String permissionPolicy, String chatUrl, NodeSecrets secrets) implements NodeMessage {

        /** Without chat link and secrets. */
        public SendPrompt(String commandId, String taskId, String workspaceId, String deliveryId, String promptId,
                          String agent, String prompt, String agentSessionId, long afterSequence,
                          String permissionPolicy) {
            this(commandId, taskId, workspaceId, deliveryId, promptId, agent, prompt, agentSessionId, afterSequence,
                permissionPolicy, null, null);
        }
    }

    /**
     * Node to gateway: the prompt {@code promptId} is on the agent's stdin; {@code how} is {@code continued},
     * {@code loaded} or {@code new_session}.
     */
    record PromptDeliveredReport(String commandId, String taskId, String deliveryId, String promptId,
                                 String agentSessionId, String how) implements NodeMessage {
    }

    /** Node to gateway: the agent asks permission and waits; the node holds its JSON-RPC request open. */
    record PermissionRequestedReport(String commandId, String taskId, String deliveryId, String agentSessionId,
                                     String requestId, JsonNode toolCall, JsonNode options) implements NodeMessage {
    }

    /** Gateway to node: answer the agent's pending permission request {@code requestId} with {@code optionId}. */
    record AnswerPermission(String commandId, String taskId, String deliveryId, String requestId, String optionId)
        implements NodeMessage {
    }

    /**
     * Node to gateway: after a turn ended, the workspace's changes were committed on {@code branch} and pushed
     * ({@code result} {@code pushed}), there was nothing to commit ({@code nothing_to_commit}), or publishing
     * failed ({@code failed}, {@code reason} says why). {@code pullRequestUrl} when a pull request is open for the
     * branch; {@code reason} may also say why none could be opened.
     */
    record BranchPublishedReport(String commandId, String taskId, String workspaceId, String branch, String commit,
                                 String result, String reason, String pullRequestUrl) implements NodeMessage {
    }

    /**
     * Node to gateway, every heartbeat interval while welcomed: the node's vital signs. Not numbered, never
     * resent; the gateway keeps only the latest (see {@link dev.handoff.contracts.events.NodeHeartbeat}).
     */
    record Heartbeat(double loadAverage, int cpus, long memoryTotalBytes, long memoryAvailableBytes,
                     long diskFreeBytes) implements NodeMessage {
    }
}
