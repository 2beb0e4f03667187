package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
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
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;

/** Turns a node's report into the event it stands for, caused by the command it answers. */
@ApplicationScoped
public class ReportTranslator {

    private static final Logger LOG = Logger.getLogger(ReportTranslator.class);

    @Inject
    CommandLog commandLog;

    /** The event for a report of {@code nodeId}, or empty when the report is not one, or not this node's to make. */
    public Optional<Envelope> toEvent(String nodeId, NodeMessage report) {
        EventPayload payload;
        String commandId;
        String taskId;
        if (report instanceof NodeMessage.WorkspaceReadyReport r) {
            payload = new WorkspaceReady(r.workspaceId(), r.path(), r.runtime(), r.runtimeReason());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.WorkspaceFailedReport r) {
            payload = new WorkspaceFailed(r.workspaceId(), r.reason(), r.retryable(), r.failureKind());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.AgentStartedReport r) {
            payload = new AgentStarted(r.deliveryId(), r.agentSessionId(), r.agent());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.AgentFailedReport r) {
            payload = new AgentFailed(r.deliveryId(), r.reason(), r.retryable(), r.failureKind());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.AgentOutputReport r) {
            payload = new AgentOutput(r.agentSessionId(), r.sequence(), r.kind(), r.update());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.TurnEndedReport r) {
            payload = new AgentTurnEnded(r.agentSessionId(), r.stopReason(), r.lastSequence());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.BranchPublishedReport r) {
            payload = new BranchPublished(r.workspaceId(), r.branch(), r.commit(), r.result(), r.reason(),
                r.pullRequestUrl());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.AgentStoppedReport r) {
            payload = new AgentStopped(r.deliveryId(), r.how(), r.workspaceCleaned());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.PromptDeliveredReport r) {
            payload = new AgentPromptDelivered(r.deliveryId(), r.promptId(), r.agentSessionId(), r.how());
            commandId = r.commandId();
            taskId = r.taskId();
        } else if (report instanceof NodeMessage.PermissionRequestedReport r) {
            payload = new PermissionRequested(r.deliveryId(), r.agentSessionId(), r.requestId(), r.toolCall(),
                r.options());
            commandId = r.commandId();
            taskId = r.taskId();
        } else {
            LOG.warnf("node %s sent %s, which is not a report", nodeId, report.getClass().getSimpleName());
            return Optional.empty();
        }
        UUID causeId = parse(commandId);
        if (causeId == null || taskId == null) {
            LOG.warnf("node %s sent a report without command or task id; dropped", nodeId);
            return Optional.empty();
        }
        Optional<Envelope> command = commandLog.find(causeId);
        if (command.isPresent() && (!nodeId.equals(command.get().nodeId())
            || !taskId.equals(command.get().taskId()))) {
            LOG.warnf("node %s reported on command %s of node %s, task %s; dropped", nodeId, causeId,
                command.get().nodeId(), command.get().taskId());
            return Optional.empty();
        }
        return Optional.of(command.map(c -> c.next(payload, nodeId))
            .orElseGet(() -> Envelope.causedBy(causeId, taskId, nodeId, null, payload)));
    }

    private static UUID parse(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
