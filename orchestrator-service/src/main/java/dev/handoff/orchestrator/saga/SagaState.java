package dev.handoff.orchestrator.saga;

import dev.handoff.orchestrator.TaskStatus;

/**
 * What the saga knows about one task; an immutable snapshot the saga decides on. {@code permissionPolicy} is the
 * project's ({@code allow}, {@code ask}; null = allow), {@code promptId} the follow-up prompt last sent to the
 * node, {@code lastSequence} the agent's last output sequence when its last turn ended.
 */
public record SagaState(String taskId, TaskStatus status, String agent, String repositoryUrl, String branch,
                        String description, String nodeId, String workspaceId, String deliveryId,
                        String agentSessionId, String stopReason, String failureReason, String permissionPolicy,
                        String promptId, long lastSequence) {

    /** Without the conversation's fields (policy allow, no follow-up yet). */
    public SagaState(String taskId, TaskStatus status, String agent, String repositoryUrl, String branch,
                     String description, String nodeId, String workspaceId, String deliveryId,
                     String agentSessionId, String stopReason, String failureReason) {
        this(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, null, null, 0);
    }

    SagaState withStatus(TaskStatus next) {
        return new SagaState(taskId, next, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence);
    }

    SagaState withNode(String node) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, node, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence);
    }

    SagaState withWorkspace(String workspace) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspace, deliveryId,
            agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence);
    }

    SagaState withDelivery(String delivery) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, delivery,
            agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence);
    }

    SagaState withAgentSession(String session) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            session, stopReason, failureReason, permissionPolicy, promptId, lastSequence);
    }

    SagaState withStopReason(String reason) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, reason, failureReason, permissionPolicy, promptId, lastSequence);
    }

    SagaState withPermissionPolicy(String policy) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, policy, promptId, lastSequence);
    }

    SagaState withPrompt(String prompt) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, permissionPolicy, prompt, lastSequence);
    }

    SagaState withLastSequence(long sequence) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, permissionPolicy, promptId, sequence);
    }

    /** Cancelling or cancelled; the cancel reason is kept where a failure reason would be. */
    SagaState withCancel(TaskStatus cancelStatus, String reason) {
        return new SagaState(taskId, cancelStatus, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, reason, permissionPolicy, promptId, lastSequence);
    }

    SagaState withFailure(String reason) {
        return new SagaState(taskId, TaskStatus.FAILED, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, reason, permissionPolicy, promptId, lastSequence);
    }
}
