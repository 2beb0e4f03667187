package dev.handoff.orchestrator.saga;

import dev.handoff.orchestrator.TaskStatus;

/** What the saga knows about one task; an immutable snapshot the saga decides on. */
public record SagaState(String taskId, TaskStatus status, String agent, String repositoryUrl, String branch,
                        String description, String nodeId, String workspaceId, String deliveryId,
                        String agentSessionId, String stopReason, String failureReason) {

    SagaState withStatus(TaskStatus next) {
        return new SagaState(taskId, next, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason);
    }

    SagaState withNode(String node) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, node, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason);
    }

    SagaState withWorkspace(String workspace) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspace, deliveryId,
            agentSessionId, stopReason, failureReason);
    }

    SagaState withDelivery(String delivery) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, delivery,
            agentSessionId, stopReason, failureReason);
    }

    SagaState withAgentSession(String session) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            session, stopReason, failureReason);
    }

    SagaState withStopReason(String reason) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, reason, failureReason);
    }

    /** Cancelling or cancelled; the cancel reason is kept where a failure reason would be. */
    SagaState withCancel(TaskStatus cancelStatus, String reason) {
        return new SagaState(taskId, cancelStatus, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, reason);
    }

    SagaState withFailure(String reason) {
        return new SagaState(taskId, TaskStatus.FAILED, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, reason);
    }
}
