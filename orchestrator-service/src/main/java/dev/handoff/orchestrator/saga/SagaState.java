package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.vocabulary.TaskStatus;

import java.time.Instant;
import java.util.List;

/**
 * What the saga knows about one task; an immutable snapshot the saga decides on. {@code permissionPolicy} is the
 * project's ({@code allow}, {@code ask}; null = allow), {@code promptId} the follow-up prompt last sent to the
 * node, {@code lastSequence} the agent's last output sequence when its last turn ended, {@code ownerId} the task's
 * owner and {@code nodeSize} the node size it asks for (both for a node requested again), {@code avoidedNodes} the nodes a command of the task could not reach (the
 * next node request avoids them). {@code attempt} counts the attempts of the current step after the first
 * failed transiently (0: the first attempt, no failure yet); {@code retryAt}, when set, is when the step's command
 * is due to be sent again (persisted, so a restarted orchestrator keeps the schedule). {@code answeredPermissions}
 * holds the last permission requests the user answered, so a request read after its answer does not wait again.
 */
public record SagaState(String taskId, TaskStatus status, String agent, String repositoryUrl, String branch,
                        String description, String nodeId, String workspaceId, String deliveryId,
                        String agentSessionId, String stopReason, String failureReason, String permissionPolicy,
                        String promptId, long lastSequence, String ownerId, String nodeSize, int attempt,
                        Instant retryAt, List<String> avoidedNodes, List<String> answeredPermissions) {

    /** How many answered permission request ids a task remembers (a late request is one of its last few). */
    static final int ANSWERED_PERMISSIONS_KEPT = 16;

    public SagaState {
        avoidedNodes = avoidedNodes == null ? List.of() : List.copyOf(avoidedNodes);
        answeredPermissions = answeredPermissions == null ? List.of() : List.copyOf(answeredPermissions);
    }

    /** Without answered permission requests. */
    public SagaState(String taskId, TaskStatus status, String agent, String repositoryUrl, String branch,
                     String description, String nodeId, String workspaceId, String deliveryId,
                     String agentSessionId, String stopReason, String failureReason, String permissionPolicy,
                     String promptId, long lastSequence, String ownerId, String nodeSize, int attempt,
                     Instant retryAt, List<String> avoidedNodes) {
        this(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence, ownerId, nodeSize,
            attempt, retryAt, avoidedNodes, List.of());
    }

    /** Without nodes to avoid. */
    public SagaState(String taskId, TaskStatus status, String agent, String repositoryUrl, String branch,
                     String description, String nodeId, String workspaceId, String deliveryId,
                     String agentSessionId, String stopReason, String failureReason, String permissionPolicy,
                     String promptId, long lastSequence, String ownerId, String nodeSize, int attempt,
                     Instant retryAt) {
        this(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId, deliveryId,
            agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence, ownerId, nodeSize,
            attempt, retryAt, List.of());
    }

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
            ownerId, nodeSize, next == status ? attempt : 0, next == status ? retryAt : null, avoidedNodes, answeredPermissions);
    }

    SagaState withNode(String node) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, node, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withWorkspace(String workspace) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspace,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withDelivery(String delivery) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            delivery, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withAgentSession(String session) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, session, stopReason, failureReason, permissionPolicy, promptId, lastSequence, ownerId, nodeSize,
            attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withStopReason(String reason) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, reason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withPermissionPolicy(String policy) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, policy, promptId, lastSequence, ownerId, nodeSize,
            attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withPrompt(String prompt) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, prompt, lastSequence,
            ownerId, nodeSize, attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withLastSequence(long sequence) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, sequence,
            ownerId, nodeSize, attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withOwner(String owner) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            owner, nodeSize, attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    SagaState withNodeSize(String size) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, size, attempt, retryAt, avoidedNodes, answeredPermissions);
    }

    /** The step failed transiently: attempt {@code nextAttempt} is due at {@code at}. */
    SagaState withRetryDue(int nextAttempt, Instant at) {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, nextAttempt, at, avoidedNodes, answeredPermissions);
    }

    /** The due retry's command is sent; its attempt stays counted. */
    SagaState withRetrySent() {
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, null, avoidedNodes, answeredPermissions);
    }

    /**
     * Back to finding a node, without {@code unreachable} (a command could not reach it): the node, workspace and
     * delivery of the old node are dropped; attempts start again.
     */
    SagaState withAnotherNodeThan(String unreachable) {
        List<String> avoid = new java.util.ArrayList<>(avoidedNodes);
        if (unreachable != null && !avoid.contains(unreachable)) {
            avoid.add(unreachable);
        }
        return new SagaState(taskId, TaskStatus.PROVISIONING_NODE, agent, repositoryUrl, branch, description, null,
            null, null, null, stopReason, failureReason, permissionPolicy, promptId, lastSequence, ownerId, nodeSize,
            0, null, avoid, answeredPermissions);
    }

    /** Cancelling or cancelled; the cancel reason is kept where a failure reason would be. */
    SagaState withCancel(TaskStatus cancelStatus, String reason) {
        return new SagaState(taskId, cancelStatus, agent, repositoryUrl, branch, description, nodeId,
            workspaceId, deliveryId, agentSessionId, stopReason, reason, permissionPolicy, promptId,
            lastSequence, ownerId, nodeSize, attempt, null, avoidedNodes, answeredPermissions);
    }

    SagaState withFailure(String reason) {
        return new SagaState(taskId, TaskStatus.FAILED, agent, repositoryUrl, branch, description, nodeId,
            workspaceId, deliveryId, agentSessionId, stopReason, reason, permissionPolicy, promptId,
            lastSequence, ownerId, nodeSize, attempt, null, avoidedNodes, answeredPermissions);
    }

    /** The user answered {@code requestId}: a request for it read after the answer no longer waits for the user. */
    SagaState withPermissionAnswered(String requestId) {
        List<String> answered = new java.util.ArrayList<>(answeredPermissions);
        answered.remove(requestId);
        answered.add(requestId);
        if (answered.size() > ANSWERED_PERMISSIONS_KEPT) {
            answered = answered.subList(answered.size() - ANSWERED_PERMISSIONS_KEPT, answered.size());
        }
        return new SagaState(taskId, status, agent, repositoryUrl, branch, description, nodeId, workspaceId,
            deliveryId, agentSessionId, stopReason, failureReason, permissionPolicy, promptId, lastSequence,
            ownerId, nodeSize, attempt, retryAt, avoidedNodes, answered);
    }
}
