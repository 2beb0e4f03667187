package dev.handoff.orchestrator.saga;

import dev.handoff.orchestrator.TaskStatus;

import java.time.Instant;

/**
 * What the saga knows about one task; an immutable snapshot the saga decides on. {@code permissionPolicy} is the
 * project's ({@code allow}, {@code ask}; null = allow), {@code promptId} the follow-up prompt last sent to the
 * node, {@code lastSequence} the agent's last output sequence when its last turn ended, {@code ownerId} the task's
 * owner and {@code nodeSize} the node size it asks for (both for a node requested again). {@code attempt} counts the attempts of the current step after the first
 * failed transiently (0: the first attempt, no failure yet); {@code retryAt}, when set, is when the step's command
 * is due to be sent again (persisted, so a restarted orchestrator keeps the schedule).
 */
public record SagaState(String taskId, TaskStatus status, String agent, String repositoryUrl, String branch,
                        String description, String nodeId, String workspaceId, String deliveryId,
                        String agentSessionId, String stopReason, String failureReason, String permissionPolicy,
                        String promptId, long lastSequence, String ownerId, String nodeSize, int attempt,
                        Instant retryAt) {

    /** Without the conversation's fields (policy allow, no follow-up yet), owner and retries. */
    public SagaState(String taskId, TaskStatus status, String agent, String repositoryUrl, String branch,
                     String description, String nodeId, String workspaceId, String deliveryId,
                     String agentSessionId, String stopReason, String failureReason) {
        this(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, null, null, 0, null, null, 0, null);
    }

    /** The state in {@code next}; a new step starts with no attempts counted and no retry due. */
    SagaState withStatus(TaskStatus next) {
        return new SagaState(taskId, next, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, next == status ? attempt : 0, next == status ? retryAt : null);
    }

    SagaState withNode(String node) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, node, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt);
    }

    SagaState withWorkspace(String workspace) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspace,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt);
    }

    SagaState withDelivery(String delivery) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            delivery, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt);
    }

    SagaState withAgentSession(String session) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, session, stopReason, failureReason, permissionPolicy, promptId, lastSequence, ownerId, nodeSize,
            attempt, retryAt);
    }

    SagaState withStopReason(String reason) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, reason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt);
    }

    SagaState withPermissionPolicy(String policy) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, policy, promptId, lastSequence, ownerId, nodeSize,
            attempt, retryAt);
    }

    SagaState withPrompt(String prompt) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, prompt, lastSequence,
            ownerId, nodeSize, attempt, retryAt);
    }

    SagaState withLastSequence(long sequence) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, sequence,
            ownerId, nodeSize, attempt, retryAt);
    }

    SagaState withOwner(String owner) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            owner, nodeSize, attempt, retryAt);
    }

    SagaState withNodeSize(String size) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, size, attempt, retryAt);
    }

    /** The step failed transiently: attempt {@code nextAttempt} is due at {@code at}. */
    SagaState withRetryDue(int nextAttempt, Instant at) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, nextAttempt, at);
    }

    /** The due retry's command is sent; its attempt stays counted. */
    SagaState withRetrySent() {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, null);
    }

    /** Cancelling or cancelled; the cancel reason is kept where a failure reason would be. */
    SagaState withCancel(TaskStatus cancelStatus, String reason) {
        return new SagaState(taskId, cancelStatus, agent, repositoryUrl, branch, description, nodeId,
            workspaceId, deliveryId, agentSessionId, stopReason, reason, permissionPolicy, promptId,
            lastSequence, ownerId, nodeSize, attempt, null);
    }

    SagaState withFailure(String reason) {
        return new SagaState(taskId, TaskStatus.FAILED, agent, repositoryUrl, branch, description, nodeId,
            workspaceId, deliveryId, agentSessionId, stopReason, reason, permissionPolicy, promptId,
            lastSequence, ownerId, nodeSize, attempt, null);
    }
}
