package dev.handoff.gateway.service;

import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.contracts.events.AgentStopped;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.contracts.events.BranchPublished;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.PermissionRequested;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.events.WorkspaceReady;
import dev.handoff.contracts.node.NodeMessage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a node's report: the event it stands for and the command and task it claims to answer. Whether the node
 * may make that claim is {@link ReportAuthority}'s to judge.
 */
@ApplicationScoped
public class ReportTranslator {

    private static final Logger LOG = Logger.getLogger(ReportTranslator.class);

    /**
     * What a report claims: it answers command {@code commandId} of task {@code taskId} with {@code payload};
     * {@code ids} are the other identifiers the node chose (delivery, agent session, workspace, prompt, permission
     * request), each kept by other services as it came.
     */
    public record Claim(String commandId, String taskId, EventPayload payload, List<String> ids) {
    }

    /** The claim of a report of {@code nodeId}, or empty when the message is not a report. */
    public Optional<Claim> claimOf(String nodeId, NodeMessage report) {
        EventPayload payload;
        String commandId;
        String taskId;
        List<String> ids;
        if (report instanceof NodeMessage.WorkspaceReadyReport r) {
            payload = new WorkspaceReady(r.workspaceId(), r.path(), r.runtime(), r.runtimeReason());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.workspaceId());
        } else if (report instanceof NodeMessage.WorkspaceFailedReport r) {
            payload = new WorkspaceFailed(r.workspaceId(), r.reason(), r.retryable(), r.failureKind());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.workspaceId());
        } else if (report instanceof NodeMessage.AgentStartedReport r) {
            payload = new AgentStarted(r.deliveryId(), r.agentSessionId(), r.agent());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.deliveryId(), r.agentSessionId(), r.agent());
        } else if (report instanceof NodeMessage.AgentFailedReport r) {
            payload = new AgentFailed(r.deliveryId(), r.reason(), r.retryable(), r.failureKind());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.deliveryId());
        } else if (report instanceof NodeMessage.AgentOutputReport r) {
            payload = new AgentOutput(r.agentSessionId(), r.sequence(), r.kind(), r.update(), r.firstSequence());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.agentSessionId());
        } else if (report instanceof NodeMessage.TurnEndedReport r) {
            payload = new AgentTurnEnded(r.agentSessionId(), r.stopReason(), r.lastSequence());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.agentSessionId());
        } else if (report instanceof NodeMessage.BranchPublishedReport r) {
            payload = new BranchPublished(r.workspaceId(), r.branch(), r.commit(), r.result(), r.reason(),
                r.pullRequestUrl());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.workspaceId());
        } else if (report instanceof NodeMessage.AgentStoppedReport r) {
            payload = new AgentStopped(r.deliveryId(), r.how(), r.workspaceCleaned());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.deliveryId());
        } else if (report instanceof NodeMessage.PromptDeliveredReport r) {
            payload = new AgentPromptDelivered(r.deliveryId(), r.promptId(), r.agentSessionId(), r.how());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.deliveryId(), r.promptId(), r.agentSessionId());
        } else if (report instanceof NodeMessage.PermissionRequestedReport r) {
            payload = new PermissionRequested(r.deliveryId(), r.agentSessionId(), r.requestId(), r.toolCall(),
                r.options());
            commandId = r.commandId();
            taskId = r.taskId();
            ids = idsOf(r.deliveryId(), r.agentSessionId(), r.requestId());
        } else {
            LOG.warnf("node %s sent %s, which is not a report", nodeId, report.getClass().getSimpleName());
            return Optional.empty();
        }
        return Optional.of(new Claim(commandId, taskId, payload, ids));
    }

    /** The ids given, nulls left out (a report may leave an optional one out). */
    private static List<String> idsOf(String... ids) {
        return Arrays.stream(ids).filter(Objects::nonNull).toList();
    }
}
