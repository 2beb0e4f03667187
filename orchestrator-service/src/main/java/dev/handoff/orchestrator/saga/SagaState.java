package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.vocabulary.TaskStatus;

import java.time.Instant;
import java.util.Objects;

/**
 * What the saga knows about one task; an immutable snapshot the saga decides on. Besides the task's id and status it
 * holds the task's {@link TaskRequest request} (set once), its {@link Placement placement} (where it runs), its
 * {@link Conversation conversation}, its current step's {@link StepRetry retry} and its {@link TaskOutcome outcome}. A
 * {@code withX} copies only the parts it changes and shares the others.
 */
public record SagaState(String taskId, TaskStatus status, TaskRequest request, Placement placement,
                        Conversation conversation, StepRetry retry, TaskOutcome outcome) {

    public SagaState {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** A new task: finding a node, nowhere yet, nothing said, on its first attempt, no outcome. */
    static SagaState newTask(String taskId, TaskRequest request) {
        return new SagaState(taskId, TaskStatus.PROVISIONING_NODE, request, Placement.NOWHERE, Conversation.NEW,
            StepRetry.FIRST_ATTEMPT, TaskOutcome.NONE);
    }

    /** The state in {@code next}; a new step starts with no attempts counted and no retry due. */
    SagaState withStatus(TaskStatus next) {
        return new SagaState(taskId, next, request, placement, conversation,
            next == status ? retry : StepRetry.FIRST_ATTEMPT, outcome);
    }

    SagaState withNode(String node) {
        return with(placement.withNode(node));
    }

    SagaState withWorkspace(String workspace) {
        return with(placement.withWorkspace(workspace));
    }

    SagaState withDelivery(String delivery) {
        return with(placement.withDelivery(delivery));
    }

    SagaState withAgentSession(String session) {
        return with(placement.withAgentSession(session));
    }

    SagaState withPrompt(String prompt) {
        return with(conversation.withPrompt(prompt));
    }

    SagaState withLastSequence(long sequence) {
        return with(conversation.withLastSequence(sequence));
    }

    /** The user answered {@code requestId}: a request for it read after the answer no longer waits for the user. */
    SagaState withPermissionAnswered(String requestId) {
        return with(conversation.withPermissionAnswered(requestId));
    }

    SagaState withStopReason(String reason) {
        return with(outcome.withStopReason(reason));
    }

    /** The step failed transiently: attempt {@code nextAttempt} is due at {@code at}. */
    SagaState withRetryDue(int nextAttempt, Instant at) {
        return with(new StepRetry(nextAttempt, at));
    }

    /** The due retry's command is sent; its attempt stays counted. */
    SagaState withRetrySent() {
        return with(retry.withoutRetryDue());
    }

    /**
     * Back to finding a node, without {@code unreachable} (a command could not reach it): the node, workspace and
     * delivery of the old node are dropped; attempts start again.
     */
    SagaState withAnotherNodeThan(String unreachable) {
        return new SagaState(taskId, TaskStatus.PROVISIONING_NODE, request, placement.avoiding(unreachable),
            conversation, StepRetry.FIRST_ATTEMPT, outcome);
    }

    /** Cancelling or cancelled; the cancel reason is kept where a failure reason would be. */
    SagaState withCancel(TaskStatus cancelStatus, String reason) {
        return new SagaState(taskId, cancelStatus, request, placement, conversation, retry.withoutRetryDue(),
            outcome.withFailureReason(reason));
    }

    SagaState withFailure(String reason) {
        return new SagaState(taskId, TaskStatus.FAILED, request, placement, conversation, retry.withoutRetryDue(),
            outcome.withFailureReason(reason));
    }

    private SagaState with(Placement next) {
        return new SagaState(taskId, status, request, next, conversation, retry, outcome);
    }

    private SagaState with(Conversation next) {
        return new SagaState(taskId, status, request, placement, next, retry, outcome);
    }

    private SagaState with(StepRetry next) {
        return new SagaState(taskId, status, request, placement, conversation, next, outcome);
    }

    private SagaState with(TaskOutcome next) {
        return new SagaState(taskId, status, request, placement, conversation, retry, next);
    }
}
