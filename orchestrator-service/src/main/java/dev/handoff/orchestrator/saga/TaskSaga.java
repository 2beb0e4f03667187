package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.AgentPromptRequested;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.contracts.events.AgentStopRequested;
import dev.handoff.contracts.events.AgentStopped;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.FailureKinds;
import dev.handoff.contracts.events.FollowUpSubmitted;
import dev.handoff.contracts.events.NodeFailed;
import dev.handoff.contracts.events.NodeLost;
import dev.handoff.contracts.events.NodeReady;
import dev.handoff.contracts.events.NodeRequested;
import dev.handoff.contracts.events.PermissionAnswerRequested;
import dev.handoff.contracts.events.PermissionAnswered;
import dev.handoff.contracts.events.PermissionRequested;
import dev.handoff.contracts.events.TaskCancelRequested;
import dev.handoff.contracts.events.TaskCompleted;
import dev.handoff.contracts.events.TaskCreated;
import dev.handoff.contracts.events.TaskFailed;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.events.WorkspaceReady;
import dev.handoff.contracts.events.WorkspaceRequested;
import dev.handoff.contracts.vocabulary.NodeSize;
import dev.handoff.contracts.vocabulary.TaskStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The task saga's rules, free of infrastructure: given the task's state and one event, decide the next
 * state and the next command. queued -> provisioning_node -> creating_workspace -> starting_agent ->
 * running (<-> stalled) -> turn_ended, or failed from any step, also when a step runs out of time. A cancel
 * moves a task that has something on a node to cancelling (the node stops the agent and deletes the workspace)
 * and then cancelled; a task without a node yet is cancelled at once. The conversation goes on after a turn: a
 * follow-up moves turn_ended -> delivering_prompt -> running -> turn_ended again; a permission request the user
 * must answer moves running -> waiting_for_permission -> running. A step (node, workspace, agent start) whose
 * failure the reporter classified transient ({@code retryable}) stays in its status and is sent again after a
 * backoff ({@link RetryPolicy}, {@link #onRetryDue}) until its attempts are spent; a permanent failure fails the
 * task at once. When the task's node is gone (NodeLost), a task at work fails and one whose turn had ended is
 * completed.
 */
public class TaskSaga {

    private final Supplier<String> deliveryIds;
    private final RetryPolicy retries;
    private final Clock clock;
    private final DoubleSupplier random;

    /** With the default retry policy, the system clock and random jitter. */
    public TaskSaga(Supplier<String> deliveryIds) {
        this(deliveryIds, RetryPolicy.DEFAULTS, Clock.systemUTC(), Math::random);
    }

    /**
     * @param retries how transiently failed steps are tried again
     * @param clock   the time a retry is scheduled from
     * @param random  values in [0, 1) for the retry jitter
     */
    public TaskSaga(Supplier<String> deliveryIds, RetryPolicy retries, Clock clock, DoubleSupplier random) {
        this.deliveryIds = deliveryIds;
        this.retries = retries;
        this.clock = clock;
        this.random = random;
    }

    /** A new task: the state it starts in and the node request. */
    public Decision start(String taskId, TaskCreated created) {
        String nodeSize = NodeSize.orDefault(created.nodeSize()).wireName();
        SagaState state = SagaState.newTask(taskId, new TaskRequest(created.agent(), created.repositoryUrl(),
            created.branch(), created.description(), created.permissionPolicy(), created.ownerId(), nodeSize,
            created.ownerOperator()));
        return Decision.moveTo(state, "node requested (" + nodeSize + ")",
            new NodeRequested(created.agent(), nodeSize, created.ownerId(), null, created.ownerOperator()));
    }

    /** The next step for an event about an existing task. {@code nodeId} is the envelope's node. */
    public Decision on(SagaState state, EventPayload event, String nodeId) {
        if (state.status().isTerminal()) {
            return Decision.ignore("task already " + state.status().wireName());
        }
        if (event instanceof TaskCancelRequested cancel) {
            return onCancelRequested(state, cancel);
        }
        if (state.status() == TaskStatus.CANCELLING) {
            return onWhileCancelling(state, event);
        }
        if (event instanceof NodeLost lost) {
            return onNodeLost(state, nodeId, lost);
        }
        if (event instanceof NodeReady) {
            return onNodeReady(state, nodeId);
        }
        if (event instanceof NodeFailed failed) {
            return expect(state, TaskStatus.PROVISIONING_NODE,
                () -> failOrRetry(state, "node", noOtherNode(state, failed.reason()), failed.retryable()));
        }
        if (event instanceof WorkspaceReady ready) {
            return onWorkspaceReady(state, ready);
        }
        if (event instanceof WorkspaceFailed failed) {
            return expect(state, TaskStatus.CREATING_WORKSPACE,
                () -> FailureKinds.NODE_UNREACHABLE.equals(failed.failureKind())
                    ? onNodeUnreachable(state, "workspace", failed.reason())
                    : failOrRetry(state, "workspace", failed.reason(), failed.retryable()));
        }
        if (event instanceof AgentStarted started) {
            return onAgentStarted(state, started);
        }
        if (event instanceof FollowUpSubmitted followUp) {
            return onFollowUp(state, followUp);
        }
        if (event instanceof AgentPromptDelivered delivered) {
            return onPromptDelivered(state, delivered);
        }
        if (event instanceof PermissionRequested requested) {
            if (!isRunning(state)) {
                return Decision.ignore("PermissionRequested while " + state.status().wireName());
            }
            if (state.conversation().answeredPermissions().contains(requested.requestId())) {
                return Decision.ignore("PermissionRequested " + requested.requestId() + " already answered");
            }
            return Decision.moveTo(state.withStatus(TaskStatus.WAITING_FOR_PERMISSION),
                "the agent asks permission (" + requested.requestId() + ")");
        }
        if (event instanceof PermissionAnswered answered) {
            return onPermissionAnswered(state, answered);
        }
        if (event instanceof AgentFailed failed) {
            if (state.status() != TaskStatus.STARTING_AGENT && state.status() != TaskStatus.DELIVERING_PROMPT
                && !isRunning(state)) {
                return Decision.ignore("AgentFailed while " + state.status().wireName());
            }
            if (state.status() == TaskStatus.STARTING_AGENT) {
                if (failed.deliveryId() != null && !failed.deliveryId().equals(state.placement().deliveryId())) {
                    return Decision.ignore("AgentFailed for an earlier delivery " + failed.deliveryId());
                }
                if (FailureKinds.NODE_UNREACHABLE.equals(failed.failureKind())) {
                    return onNodeUnreachable(state, "agent", failed.reason());
                }
                return failOrRetry(state, "agent", failed.reason(), failed.retryable());
            }
            return fail(state, "agent", failed.reason());
        }
        if (event instanceof AgentOutput) {
            if (state.status() == TaskStatus.STALLED) {
                return Decision.moveTo(state.withStatus(TaskStatus.RUNNING), "output resumed");
            }
            return Decision.ignore("output while " + state.status().wireName());
        }
        if (event instanceof AgentTurnEnded ended) {
            if (!isRunning(state)) {
                return Decision.ignore("AgentTurnEnded while " + state.status().wireName());
            }
            return Decision.moveTo(state.withStopReason(ended.stopReason()).withLastSequence(ended.lastSequence())
                .withStatus(TaskStatus.TURN_ENDED), "turn ended: " + ended.stopReason());
        }
        return Decision.ignore(event.getClass().getSimpleName() + " does not move the saga");
    }

    /** A follow-up is taken only between turns; chat-service answers 409 otherwise, so a late one is ignored. */
    private Decision onFollowUp(SagaState state, FollowUpSubmitted followUp) {
        return expect(state, TaskStatus.TURN_ENDED, () -> {
            String promptId = deliveryIds.get();
            Placement placement = state.placement();
            return Decision.moveTo(state.withPrompt(promptId).withStatus(TaskStatus.DELIVERING_PROMPT),
                "follow-up " + promptId + " sent to the agent",
                new AgentPromptRequested(placement.workspaceId(), placement.deliveryId(), promptId,
                    state.request().agent(), followUp.text(), placement.agentSessionId(),
                    state.conversation().lastSequence(), state.request().permissionPolicy()));
        });
    }

    private static Decision onPromptDelivered(SagaState state, AgentPromptDelivered delivered) {
        return expect(state, TaskStatus.DELIVERING_PROMPT, () -> {
            if (!delivered.promptId().equals(state.conversation().promptId())) {
                return Decision.ignore("AgentPromptDelivered for another prompt " + delivered.promptId());
            }
            return Decision.moveTo(state.withAgentSession(delivered.agentSessionId()).withStatus(TaskStatus.RUNNING),
                "agent session " + delivered.agentSessionId() + " has the follow-up (" + delivered.how() + ")");
        });
    }

    /**
     * The user's answer goes to the node while the agent may still wait for it; the turn then runs on, unless
     * other requests of the task still wait for the user. The answer is remembered: chat-service answers what it
     * read on node-reports, so the orchestrator may read the answer (task-events) before the request, which must
     * then not leave the task waiting for an answer already given.
     */
    private static Decision onPermissionAnswered(SagaState state, PermissionAnswered answered) {
        if (!isRunning(state)) {
            return Decision.ignore("PermissionAnswered while " + state.status().wireName());
        }
        TaskStatus next = answered.othersPending() ? TaskStatus.WAITING_FOR_PERMISSION : TaskStatus.RUNNING;
        return Decision.moveTo(state.withPermissionAnswered(answered.requestId()).withStatus(next),
            "permission " + answered.requestId() + " answered " + answered.optionId(),
            new PermissionAnswerRequested(state.placement().deliveryId(), answered.requestId(), answered.optionId()));
    }

    /** A task past a deadline: visibly stalled on the soft stall, failed with the reason otherwise. */
    public Decision onOverdue(SagaState state, Overdue overdue) {
        if (state.status() == TaskStatus.CANCELLING) {
            return Decision.moveTo(state.withCancel(TaskStatus.CANCELLED, overdue.reason()),
                "cancelled without confirmation: " + overdue.reason()).tellingUser(overdue.reason());
        }
        if (state.status() == TaskStatus.TURN_ENDED) {
            return onConversationIdle(state, overdue);
        }
        if (overdue.stallNotice()) {
            return Decision.moveTo(state.withStatus(TaskStatus.STALLED), "stalled: " + overdue.reason())
                .tellingUser(overdue.reason());
        }
        Decision failed = fail(state, overdue.step(), overdue.reason());
        if (state.placement().deliveryId() == null || !(state.status() == TaskStatus.STARTING_AGENT
            || state.status() == TaskStatus.DELIVERING_PROMPT || isRunning(state))) {
            return failed;
        }
        // The agent may still be alive but silent: stop it; the workspace stays for inspection.
        return failed.alsoSending(new AgentStopRequested(state.placement().deliveryId(),
            state.placement().workspaceId(), "the task failed: " + overdue.reason(), false));
    }

    /**
     * No follow-up came for the idle time: the conversation is over. The agent is stopped (its workspace kept: the
     * work is on the task's branch, and an unpublished change is not thrown away) and the task completed, which
     * releases its node (warm for reuse, then deleted) instead of holding and paying for it forever.
     */
    private static Decision onConversationIdle(SagaState state, Overdue overdue) {
        String reason = overdue.reason() + "; its agent was stopped and its node released (start a new task to go "
            + "on)";
        Decision completed = Decision.moveTo(state.withStatus(TaskStatus.COMPLETED), "completed: " + overdue.reason(),
            new TaskCompleted(reason)).tellingUser(reason);
        return state.placement().deliveryId() == null ? completed
            : completed.alsoSending(new AgentStopRequested(state.placement().deliveryId(),
                state.placement().workspaceId(), reason, false));
    }

    private static Decision onCancelRequested(SagaState state, TaskCancelRequested cancel) {
        if (state.status() == TaskStatus.CANCELLING) {
            return Decision.ignore("cancel already requested");
        }
        if (!state.status().mayHaveAgentOrWorkspace()) {
            return Decision.moveTo(state.withCancel(TaskStatus.CANCELLED, cancel.reason()),
                "cancelled while " + state.status().wireName() + ", nothing on a node yet")
                .tellingUser(cancel.reason());
        }
        return Decision.moveTo(state.withCancel(TaskStatus.CANCELLING, cancel.reason()),
                "cancel requested while " + state.status().wireName() + "; stopping the agent on "
                    + state.placement().nodeId(),
                new AgentStopRequested(state.placement().deliveryId(), state.placement().workspaceId(), cancel.reason(),
                    true))
            .tellingUser(cancel.reason());
    }

    /**
     * The node the task held (or waited for) is gone: a task at work fails at once with the reason instead of
     * waiting for a deadline; a task whose turn had ended is completed, as no follow-up can reach its agent now.
     */
    private static Decision onNodeLost(SagaState state, String nodeId, NodeLost lost) {
        if (state.placement().nodeId() != null && nodeId != null && !state.placement().nodeId().equals(nodeId)) {
            return Decision.ignore("NodeLost for another node " + nodeId);
        }
        if (state.status() == TaskStatus.TURN_ENDED) {
            String reason = lost.reason() + "; the conversation has ended (start a new task to go on)";
            return Decision.moveTo(state.withStatus(TaskStatus.COMPLETED), "completed: " + lost.reason(),
                new TaskCompleted(reason)).tellingUser(reason);
        }
        return fail(state, "node", lost.reason());
    }

    private static Decision onWhileCancelling(SagaState state, EventPayload event) {
        if (event instanceof NodeLost lost) {
            return Decision.moveTo(state.withStatus(TaskStatus.CANCELLED),
                "cancelled; the node is gone: " + lost.reason()).tellingUser(state.outcome().failureReason());
        }
        if (event instanceof AgentStopped stopped) {
            if (stopped.deliveryId() != null && !stopped.deliveryId().equals(state.placement().deliveryId())) {
                return Decision.ignore("AgentStopped for another delivery " + stopped.deliveryId());
            }
            String workspace = stopped.workspaceCleaned() ? "deleted" : "kept";
            return Decision.moveTo(state.withStatus(TaskStatus.CANCELLED),
                "agent stopped (" + stopped.how() + "), workspace " + workspace)
                .tellingUser(state.outcome().failureReason());
        }
        if (event instanceof AgentTurnEnded ended && "cancelled".equals(ended.stopReason())) {
            return Decision.moveTo(state.withStopReason(ended.stopReason()).withStatus(TaskStatus.CANCELLED),
                "the agent's turn ended cancelled").tellingUser(state.outcome().failureReason());
        }
        return Decision.ignore(event.getClass().getSimpleName() + " while cancelling");
    }

    private static boolean isRunning(SagaState state) {
        return state.status().isInTurn();
    }

    private Decision onNodeReady(SagaState state, String nodeId) {
        return expect(state, TaskStatus.PROVISIONING_NODE, () -> {
            String workspaceId = "ws-" + state.taskId();
            SagaState next = state.withNode(nodeId).withWorkspace(workspaceId).withStatus(TaskStatus.CREATING_WORKSPACE);
            return Decision.moveTo(next, "node " + nodeId + " ready",
                new WorkspaceRequested(workspaceId, state.request().repositoryUrl(), state.request().branch()));
        });
    }

    private Decision onWorkspaceReady(SagaState state, WorkspaceReady ready) {
        return expect(state, TaskStatus.CREATING_WORKSPACE, () -> {
            if (!ready.workspaceId().equals(state.placement().workspaceId())) {
                return Decision.ignore("WorkspaceReady for another workspace " + ready.workspaceId());
            }
            String deliveryId = deliveryIds.get();
            SagaState next = state.withDelivery(deliveryId).withStatus(TaskStatus.STARTING_AGENT);
            Decision decision = Decision.moveTo(next, "workspace ready at " + ready.path(),
                new AgentStartRequested(state.placement().workspaceId(), deliveryId, state.request().agent(),
                    state.request().description(), state.request().permissionPolicy()));
            // The timeline tells the user where the agent runs (plain directory or devcontainer) and why.
            return ready.runtimeReason() == null ? decision : decision.tellingUser(ready.runtimeReason());
        });
    }

    private Decision onAgentStarted(SagaState state, AgentStarted started) {
        return expect(state, TaskStatus.STARTING_AGENT, () -> {
            if (!started.deliveryId().equals(state.placement().deliveryId())) {
                return Decision.ignore("AgentStarted for another delivery " + started.deliveryId());
            }
            return Decision.moveTo(state.withAgentSession(started.agentSessionId()).withStatus(TaskStatus.RUNNING),
                "agent session " + started.agentSessionId() + " has the prompt");
        });
    }

    /**
     * A step failed: retried after a backoff when the failure is transient and attempts are left (the status stays,
     * so the step's deadline still counts from its first attempt), else the task fails with the reason.
     */
    private Decision failOrRetry(SagaState state, String step, String reason, Boolean retryable) {
        if (state.retry().retryAt() != null) {
            return Decision.ignore(step + " failed again while its retry is due at " + state.retry().retryAt() + ": "
                + reason);
        }
        int failedAttempt = Math.max(1, state.retry().attempt());
        if (!Boolean.TRUE.equals(retryable)) {
            return fail(state, step, reason);
        }
        if (failedAttempt >= retries.attempts()) {
            return fail(state, step, retries.attempts() == 1 ? reason
                : reason + " (gave up after " + retries.attempts() + " attempts)");
        }
        int nextAttempt = failedAttempt + 1;
        Duration delay = retries.delayBefore(nextAttempt, random.getAsDouble());
        Instant at = clock.instant().plus(delay);
        String told = reason + "; retrying in " + StepDeadlines.human(roundedToSeconds(delay)) + " (attempt "
            + nextAttempt + " of " + retries.attempts() + ")";
        return Decision.moveTo(state.withRetryDue(nextAttempt, at), step + " failed, retry due at " + at + ": "
            + reason).tellingUser(told).retrying(nextAttempt);
    }

    /**
     * The gateway could not get the step's command to the task's node (it is not connected and did not come back
     * within the gateway's grace): the node is likely gone, so the task asks for another node, one it has not tried
     * (the workspace is cloned there anew), at once. At most {@code retries.attempts()} nodes are tried in all.
     */
    private Decision onNodeUnreachable(SagaState state, String step, String reason) {
        int tried = state.placement().avoidedNodes().size() + 1;
        if (tried >= retries.attempts()) {
            return fail(state, step, reason + " (gave up after trying " + tried + (tried == 1 ? " node)" : " nodes)"));
        }
        SagaState next = state.withAnotherNodeThan(state.placement().nodeId());
        String told = reason + "; trying another node (attempt " + (tried + 1) + " of " + retries.attempts() + ")";
        List<String> avoided = next.placement().avoidedNodes();
        return Decision.moveTo(next, step + " failed, node " + state.placement().nodeId() + " unreachable; node "
                    + "requested again, avoiding " + String.join(", ", avoided),
                new NodeRequested(state.request().agent(), nodeSizeOf(state), state.request().ownerId(), avoided,
                    state.request().ownerOperator()))
            .tellingUser(told).retrying(tried + 1);
    }

    /** A node failure after the task's earlier nodes were unreachable says so. */
    private static String noOtherNode(SagaState state, String reason) {
        if (state.placement().avoidedNodes().isEmpty()) {
            return reason;
        }
        return "no node other than " + String.join(", ", state.placement().avoidedNodes())
            + " (unreachable) could be had: " + reason;
    }

    private static String nodeSizeOf(SagaState state) {
        return NodeSize.orDefault(state.request().nodeSize()).wireName();
    }

    /** Whole seconds for the user (a delay under a second shows as 1 s). */
    private static Duration roundedToSeconds(Duration delay) {
        return Duration.ofSeconds(Math.max(1, Math.round(delay.toMillis() / 1000.0)));
    }

    /**
     * A retry came due: the step's command is sent again. The workspace is cloned into the same (cleaned)
     * workspace; an agent start gets a new delivery id, since the failed one never delivered its prompt.
     */
    public Decision onRetryDue(SagaState state) {
        if (state.retry().retryAt() == null || state.status().isTerminal()) {
            return Decision.ignore("no retry due");
        }
        String attempt = " (attempt " + state.retry().attempt() + " of " + retries.attempts() + ")";
        SagaState sent = state.withRetrySent();
        return sentAgain(state, sent, attempt).tellingUser("trying again" + attempt);
    }

    private Decision sentAgain(SagaState state, SagaState sent, String attempt) {
        return switch (state.status()) {
            case PROVISIONING_NODE -> Decision.moveTo(sent, "node requested again" + attempt,
                new NodeRequested(state.request().agent(), nodeSizeOf(state), state.request().ownerId(),
                    state.placement().avoidedNodes(), state.request().ownerOperator()));
            case CREATING_WORKSPACE -> Decision.moveTo(sent, "workspace requested again" + attempt,
                new WorkspaceRequested(state.placement().workspaceId(), state.request().repositoryUrl(),
                    state.request().branch()));
            case STARTING_AGENT -> {
                String deliveryId = deliveryIds.get();
                yield Decision.moveTo(sent.withDelivery(deliveryId), "agent start requested again as delivery "
                        + deliveryId + attempt,
                    new AgentStartRequested(state.placement().workspaceId(), deliveryId, state.request().agent(),
                        state.request().description(), state.request().permissionPolicy()));
            }
            default -> Decision.moveTo(sent, "retry dropped: the task is " + state.status().wireName());
        };
    }

    private static Decision fail(SagaState state, String step, String reason) {
        return Decision.moveTo(state.withFailure(reason), step + " failed: " + reason, new TaskFailed(step, reason))
            .tellingUser(reason);
    }

    private static Decision expect(SagaState state, TaskStatus expected, Supplier<Decision> decision) {
        if (state.status() != expected) {
            return Decision.ignore("expected " + expected.wireName() + " but task is " + state.status().wireName());
        }
        return decision.get();
    }
}
