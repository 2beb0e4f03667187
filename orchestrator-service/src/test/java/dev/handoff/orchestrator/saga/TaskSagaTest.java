package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.AgentPromptRequested;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.contracts.events.AgentStopRequested;
import dev.handoff.contracts.events.AgentStopped;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.contracts.events.FailureKinds;
import dev.handoff.contracts.events.NodeFailed;
import dev.handoff.contracts.events.NodeLost;
import dev.handoff.contracts.events.NodeReady;
import dev.handoff.contracts.events.FollowUpSubmitted;
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
import dev.handoff.contracts.vocabulary.TaskStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskSagaTest {

    private static final String TASK_TEXT = "Fix the login timeout bug in auth.ts";

    private final TaskSaga saga = new TaskSaga(() -> "delivery-1");

    private final TaskCreated created = new TaskCreated("p1", "s1", "file:///repos/app.git", "main", "claude-code",
        TASK_TEXT);

    @Test
    void newTaskRequestsANode() {
        Decision decision = saga.start("t1", created);

        assertThat(decision.next().status()).isEqualTo(TaskStatus.PROVISIONING_NODE);
        assertThat(decision.outgoing()).containsExactly(new NodeRequested("claude-code", "small"));
    }

    @Test
    void theProjectsNodeSizeIsTheSizeAskedFor() {
        TaskCreated large = new TaskCreated("p1", "s1", "file:///repos/app.git", "main", "claude-code", TASK_TEXT,
            "u1", null, "large");

        assertThat(saga.start("t1", large).outgoing()).containsExactly(new NodeRequested("claude-code", "large", "u1"));
    }

    @Test
    void anOperatorsTaskSaysSoInEveryNodeRequest() {
        TaskCreated byOperator = new TaskCreated("p1", "s1", "file:///repos/app.git", "main", "claude-code",
            TASK_TEXT, "u1", null, "small", true);

        Decision started = saga.start("t1", byOperator);

        assertThat(started.outgoing()).containsExactly(new NodeRequested("claude-code", "small", "u1", null, true));
        assertThat(started.next().request().ownerOperator()).isTrue();
        SagaState onNode = saga.on(started.next(), new NodeReady("local", false), "node-a").next();
        Decision again = saga.on(onNode, new WorkspaceFailed("ws-t1", "node node-a is gone", true,
            FailureKinds.NODE_UNREACHABLE), "node-a");
        assertThat(again.outgoing()).containsExactly(new NodeRequested("claude-code", "small", "u1",
            List.of("node-a"), true));
    }

    @Test
    void nodeReadyRequestsTheWorkspaceOnThatNode() {
        SagaState provisioning = saga.start("t1", created).next();

        Decision decision = saga.on(provisioning, new NodeReady("local", false), "node-7");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.CREATING_WORKSPACE);
        assertThat(decision.next().placement().nodeId()).isEqualTo("node-7");
        assertThat(decision.outgoing()).containsExactly(new WorkspaceRequested("ws-t1", "file:///repos/app.git", "main"));
    }

    @Test
    void workspaceReadyAsksToStartTheAgentWithTheTaskTextAsPrompt() {
        SagaState creating = saga.on(saga.start("t1", created).next(), new NodeReady("local", false), "n").next();

        Decision decision = saga.on(creating, new WorkspaceReady("ws-t1", "/w/ws-t1"), "n");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.STARTING_AGENT);
        assertThat(decision.outgoing())
            .containsExactly(new AgentStartRequested("ws-t1", "delivery-1", "claude-code", TASK_TEXT));
    }

    @Test
    void workspaceReadyTellsTheUserWhereTheAgentRuns() {
        SagaState creating = saga.on(saga.start("t1", created).next(), new NodeReady("local", false), "n").next();
        String why = "plain directory: .devcontainer/devcontainer.json found, but no Docker engine reachable on this node";

        Decision decision = saga.on(creating, new WorkspaceReady("ws-t1", "/w/ws-t1", "directory", why), "n");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.STARTING_AGENT);
        assertThat(decision.statusReason()).isEqualTo(why);
        assertThat(saga.on(creating, new WorkspaceReady("ws-t1", "/w/ws-t1"), "n").statusReason()).isNull();
    }

    @Test
    void agentStartedThenTurnEndedRecordsTheStopReason() {
        SagaState starting = startingAgent();

        SagaState running = saga.on(starting, new AgentStarted("delivery-1", "sess-1", "claude-code"), "n").next();
        assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(running.placement().agentSessionId()).isEqualTo("sess-1");

        assertThat(saga.on(running, new AgentOutput("sess-1", 1, "plan", null), "n").ignored()).isTrue();

        SagaState ended = saga.on(running, new AgentTurnEnded("sess-1", "end_turn", 4), "n").next();
        assertThat(ended.status()).isEqualTo(TaskStatus.TURN_ENDED);
        assertThat(ended.outcome().stopReason()).isEqualTo("end_turn");
    }

    @Test
    void agentStartedForAnotherDeliveryIsIgnored() {
        assertThat(saga.on(startingAgent(), new AgentStarted("other", "sess-9", "claude-code"), "n").ignored())
            .isTrue();
    }

    @Test
    void eventsOutOfStepAreIgnored() {
        SagaState provisioning = saga.start("t1", created).next();

        assertThat(saga.on(provisioning, new WorkspaceReady("ws-t1", "/w"), "n").ignored()).isTrue();
        assertThat(saga.on(provisioning, new AgentTurnEnded("s", "end_turn", 0), "n").ignored()).isTrue();
    }

    @Test
    void failuresEndTheTaskWithTheReasonAndStayEnded() {
        SagaState provisioning = saga.start("t1", created).next();

        Decision failed = saga.on(provisioning, new NodeFailed("quota exceeded"), null);

        assertThat(failed.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.next().outcome().failureReason()).isEqualTo("quota exceeded");
        assertThat(failed.outgoing()).containsExactly(new TaskFailed("node", "quota exceeded"));
        assertThat(saga.on(failed.next(), new NodeReady("local", false), "n").ignored()).isTrue();
    }

    @Test
    void agentDyingWhileRunningFailsTheTask() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "s", "claude-code"), "n").next();

        Decision decision = saga.on(running, new AgentFailed("delivery-1", "agent exited with code 137"), "n");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(decision.outgoing()).containsExactly(new TaskFailed("agent", "agent exited with code 137"));
    }

    @Test
    void aSoftStallIsVisibleAndOutputBringsTheTaskBack() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "s", "claude-code"), "n").next();

        Decision stalled = saga.onOverdue(running, new Overdue("stall", "no output for 30 minutes", true));
        assertThat(stalled.next().status()).isEqualTo(TaskStatus.STALLED);
        assertThat(stalled.statusReason()).isEqualTo("no output for 30 minutes");
        assertThat(stalled.outgoing()).isEmpty();

        Decision resumed = saga.on(stalled.next(), new AgentOutput("s", 9, "agent_message_chunk", null), "n");
        assertThat(resumed.next().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(saga.on(stalled.next(), new AgentTurnEnded("s", "end_turn", 9), "n").next().status())
            .isEqualTo(TaskStatus.TURN_ENDED);
    }

    @Test
    void aMissedDeadlineFailsTheTaskWithTheReason() {
        SagaState provisioning = saga.start("t1", created).next();

        Decision decision = saga.onOverdue(provisioning,
            new Overdue("node", "the node did not connect within 10 minutes", false));

        assertThat(decision.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(decision.statusReason()).isEqualTo("the node did not connect within 10 minutes");
        assertThat(decision.outgoing())
            .containsExactly(new TaskFailed("node", "the node did not connect within 10 minutes"));
    }

    private static final String CANCEL = "the user cancelled the task";

    @Test
    void cancelBeforeANodeIsChosenCancelsAtOnceAndALaterNodeReadyIsIgnored() {
        SagaState provisioning = saga.start("t1", created).next();

        Decision decision = saga.on(provisioning, new TaskCancelRequested(CANCEL), null);

        assertThat(decision.next().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(decision.outgoing()).isEmpty();
        assertThat(decision.statusReason()).isEqualTo(CANCEL);
        assertThat(saga.on(decision.next(), new NodeReady("local", true), "n").ignored()).isTrue();
    }

    @Test
    void cancelWhileTheWorkspaceIsBeingCreatedAsksTheNodeToCleanIt() {
        SagaState creating = saga.on(saga.start("t1", created).next(), new NodeReady("local", false), "n").next();

        Decision decision = saga.on(creating, new TaskCancelRequested(CANCEL), null);

        assertThat(decision.next().status()).isEqualTo(TaskStatus.CANCELLING);
        assertThat(decision.next().placement().nodeId()).isEqualTo("n");
        assertThat(decision.outgoing()).containsExactly(new AgentStopRequested(null, "ws-t1", CANCEL, true));
        assertThat(saga.on(decision.next(), new WorkspaceReady("ws-t1", "/w"), "n").ignored()).isTrue();
    }

    @Test
    void cancelWhileRunningStopsTheAgentAndAgentStoppedEndsTheTaskCancelled() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "s", "claude-code"), "n").next();

        Decision cancelling = saga.on(running, new TaskCancelRequested(CANCEL), null);
        assertThat(cancelling.next().status()).isEqualTo(TaskStatus.CANCELLING);
        assertThat(cancelling.outgoing()).containsExactly(new AgentStopRequested("delivery-1", "ws-t1", CANCEL, true));

        assertThat(saga.on(cancelling.next(), new TaskCancelRequested(CANCEL), null).ignored())
            .as("a second cancel").isTrue();
        assertThat(saga.on(cancelling.next(), new AgentFailed("delivery-1", "exited"), "n").ignored())
            .as("the agent dying of the cancel does not fail the task").isTrue();
        assertThat(saga.on(cancelling.next(), new AgentStopped("other", "killed", true), "n").ignored()).isTrue();

        Decision cancelled = saga.on(cancelling.next(), new AgentStopped("delivery-1", "cancelled", true), "n");
        assertThat(cancelled.next().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(cancelled.outgoing()).isEmpty();
        assertThat(saga.on(cancelled.next(), new TaskCancelRequested(CANCEL), null).ignored()).isTrue();
    }

    @Test
    void cancelWhileStartingOrStalledStopsTheAgentToo() {
        assertThat(saga.on(startingAgent(), new TaskCancelRequested(CANCEL), null).outgoing())
            .containsExactly(new AgentStopRequested("delivery-1", "ws-t1", CANCEL, true));
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "s", "claude-code"), "n").next();
        SagaState stalled = saga.onOverdue(running, new Overdue("stall", "quiet", true)).next();
        assertThat(saga.on(stalled, new TaskCancelRequested(CANCEL), null).next().status())
            .isEqualTo(TaskStatus.CANCELLING);
    }

    @Test
    void aTurnEndedCancelledWhileCancellingEndsTheTaskCancelled() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "s", "claude-code"), "n").next();
        SagaState cancelling = saga.on(running, new TaskCancelRequested(CANCEL), null).next();

        assertThat(saga.on(cancelling, new AgentTurnEnded("s", "end_turn", 3), "n").ignored()).isTrue();
        Decision decision = saga.on(cancelling, new AgentTurnEnded("s", "cancelled", 3), "n");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(decision.next().outcome().stopReason()).isEqualTo("cancelled");
    }

    @Test
    void aNodeThatNeverConfirmsTheCancelStillEndsTheTaskCancelled() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "s", "claude-code"), "n").next();
        SagaState cancelling = saga.on(running, new TaskCancelRequested(CANCEL), null).next();

        Decision decision = saga.onOverdue(cancelling,
            new Overdue("cancel", "the node did not confirm the cancel within 2 minutes", false));

        assertThat(decision.next().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(decision.statusReason()).isEqualTo("the node did not confirm the cancel within 2 minutes");
        assertThat(decision.outgoing()).isEmpty();
    }

    @Test
    void theHardStallLimitFailsTheTaskAndStopsTheSilentAgent() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "s", "claude-code"), "n").next();
        SagaState stalled = saga.onOverdue(running, new Overdue("stall", "quiet", true)).next();

        Decision decision = saga.onOverdue(stalled,
            new Overdue("stall", "the agent produced no output for 2 hours", false));

        assertThat(decision.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(decision.outgoing()).containsExactly(
            new TaskFailed("stall", "the agent produced no output for 2 hours"),
            new AgentStopRequested("delivery-1", "ws-t1", "the task failed: the agent produced no output for 2 hours",
                false));
    }

    @Test
    void aFollowUpAfterTheTurnSendsThePromptOnceDeliveredTheTaskRunsAndItsTurnEndsAgain() {
        SagaState ended = turnEnded(created);

        Decision followUp = saga.on(ended, new FollowUpSubmitted("s1", 5, "Now add a test"), "n");

        assertThat(followUp.next().status()).isEqualTo(TaskStatus.DELIVERING_PROMPT);
        assertThat(followUp.outgoing()).containsExactly(new AgentPromptRequested("ws-t1", "delivery-1", "delivery-1",
            "claude-code", "Now add a test", "sess-1", 4, null));
        SagaState delivering = followUp.next();
        assertThat(saga.on(delivering, new FollowUpSubmitted("s1", 6, "another"), "n").ignored())
            .as("a second follow-up while one is being delivered").isTrue();
        assertThat(saga.on(delivering, new AgentPromptDelivered("delivery-1", "other", "sess-1", "continued"), "n")
            .ignored()).as("another prompt's delivery").isTrue();

        SagaState running = saga.on(delivering, new AgentPromptDelivered("delivery-1", "delivery-1", "sess-2",
            "loaded"), "n").next();
        assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(running.placement().agentSessionId()).isEqualTo("sess-2");

        SagaState again = saga.on(running, new AgentTurnEnded("sess-2", "end_turn", 11), "n").next();
        assertThat(again.status()).isEqualTo(TaskStatus.TURN_ENDED);
        assertThat(again.conversation().lastSequence()).isEqualTo(11);
    }

    @Test
    void aFollowUpWhileATurnRunsOrAfterTheTaskEndedIsIgnored() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "sess-1", "claude-code"), "n")
            .next();
        assertThat(saga.on(running, new FollowUpSubmitted("s1", 3, "more"), "n").ignored()).isTrue();
        SagaState cancelled = saga.on(saga.start("t1", created).next(), new TaskCancelRequested("stop"), "n").next();
        assertThat(saga.on(cancelled, new FollowUpSubmitted("s1", 3, "more"), "n").ignored()).isTrue();
    }

    @Test
    void aFollowUpTheNodeCannotDeliverFailsTheTaskAndAFollowUpOverdueStopsTheAgent() {
        SagaState delivering = saga.on(turnEnded(created), new FollowUpSubmitted("s1", 5, "more"), "n").next();

        assertThat(saga.on(delivering, new AgentFailed("delivery-1", "workspace gone"), "n").next().status())
            .isEqualTo(TaskStatus.FAILED);
        Decision overdue = saga.onOverdue(delivering, new Overdue("agent", "the agent did not take the follow-up", false));
        assertThat(overdue.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(overdue.outgoing()).hasSize(2).last().isInstanceOf(AgentStopRequested.class);
    }

    @Test
    void theProjectsPermissionPolicyTravelsWithTheStartAndEveryFollowUp() {
        TaskCreated asking = new TaskCreated("p1", "s1", "file:///repos/app.git", "main", "claude-code", TASK_TEXT,
            "u1", "ask");
        SagaState creating = saga.on(saga.start("t1", asking).next(), new NodeReady("local", false), "n").next();

        Decision start = saga.on(creating, new WorkspaceReady("ws-t1", "/w/ws-t1"), "n");

        assertThat(start.outgoing()).containsExactly(
            new AgentStartRequested("ws-t1", "delivery-1", "claude-code", TASK_TEXT, "ask"));
        Decision followUp = saga.on(turnEnded(asking), new FollowUpSubmitted("s1", 5, "more"), "n");
        assertThat(((AgentPromptRequested) followUp.outgoing().get(0)).permissionPolicy()).isEqualTo("ask");
    }

    @Test
    void aPermissionRequestWaitsForTheUserAndTheAnswerGoesToTheNode() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "sess-1", "claude-code"), "n")
            .next();
        PermissionRequested asked = new PermissionRequested("delivery-1", "sess-1", "r1",
            Json.MAPPER.createObjectNode().put("title", "Write a.txt"), Json.MAPPER.createArrayNode());

        SagaState waiting = saga.on(running, asked, "n").next();
        assertThat(waiting.status()).isEqualTo(TaskStatus.WAITING_FOR_PERMISSION);
        assertThat(saga.on(waiting, new AgentOutput("sess-1", 7, "tool_call_update", null), "n").ignored()).isTrue();

        Decision answered = saga.on(waiting, new PermissionAnswered("r1", "allow"), "n");
        assertThat(answered.next().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(answered.outgoing()).containsExactly(new PermissionAnswerRequested("delivery-1", "r1", "allow"));

        assertThat(saga.on(saga.on(running, asked, "n").next(), new AgentTurnEnded("sess-1", "end_turn", 9), "n")
            .next().status()).as("a turn that ends while asking").isEqualTo(TaskStatus.TURN_ENDED);
        assertThat(saga.on(turnEnded(created), new PermissionAnswered("r1", "allow"), "n").ignored())
            .as("an answer after the turn ended").isTrue();
    }

    @Test
    void withAnotherRequestStillPendingAnAnswerKeepsTheTaskWaitingButStillGoesToTheNode() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "sess-1", "claude-code"), "n")
            .next();
        SagaState waiting = saga.on(saga.on(running, new PermissionRequested("delivery-1", "sess-1", "r1",
                Json.MAPPER.createObjectNode(), Json.MAPPER.createArrayNode()), "n").next(),
            new PermissionRequested("delivery-1", "sess-1", "r2", Json.MAPPER.createObjectNode(),
                Json.MAPPER.createArrayNode()), "n").next();

        Decision first = saga.on(waiting, new PermissionAnswered("r1", "allow", 1), "n");
        assertThat(first.next().status()).isEqualTo(TaskStatus.WAITING_FOR_PERMISSION);
        assertThat(first.outgoing()).containsExactly(new PermissionAnswerRequested("delivery-1", "r1", "allow"));

        Decision second = saga.on(first.next(), new PermissionAnswered("r2", "reject", 0), "n");
        assertThat(second.next().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(second.outgoing()).containsExactly(new PermissionAnswerRequested("delivery-1", "r2", "reject"));
    }

    @Test
    void anAnswerThatOvertakesItsRequestDoesNotLeaveTheTaskWaitingForIt() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "sess-1", "claude-code"), "n")
            .next();
        // chat-service saw the request on node-reports and the user answered; the orchestrator reads task-events
        // (the answer) before node-reports (the request).
        Decision answered = saga.on(running, new PermissionAnswered("r1", "allow", 0), "n");
        assertThat(answered.next().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(answered.outgoing()).containsExactly(new PermissionAnswerRequested("delivery-1", "r1", "allow"));

        Decision lateRequest = saga.on(answered.next(), new PermissionRequested("delivery-1", "sess-1", "r1",
            Json.MAPPER.createObjectNode(), Json.MAPPER.createArrayNode()), "n");
        assertThat(lateRequest.ignored()).as(lateRequest.toString()).isTrue();

        SagaState waiting = saga.on(answered.next(), new PermissionRequested("delivery-1", "sess-1", "r2",
            Json.MAPPER.createObjectNode(), Json.MAPPER.createArrayNode()), "n").next();
        assertThat(waiting.status()).as("a request not yet answered still waits").isEqualTo(TaskStatus.WAITING_FOR_PERMISSION);
    }

    @Test
    void cancelWhileWaitingForPermissionStopsTheAgent() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "sess-1", "claude-code"), "n")
            .next();
        SagaState waiting = saga.on(running, new PermissionRequested("delivery-1", "sess-1", "r1",
            Json.MAPPER.createObjectNode(), Json.MAPPER.createArrayNode()), "n").next();

        Decision cancel = saga.on(waiting, new TaskCancelRequested("the user cancelled the task"), "n");

        assertThat(cancel.next().status()).isEqualTo(TaskStatus.CANCELLING);
        assertThat(cancel.outgoing()).containsExactly(
            new AgentStopRequested("delivery-1", "ws-t1", "the user cancelled the task", true));
    }

    @Test
    void aLostNodeFailsATaskAtWorkAtOnceWithTheReason() {
        SagaState running = saga.on(startingAgent(), new AgentStarted("delivery-1", "sess-1", "claude-code"), "n")
            .next();

        Decision decision = saga.on(running, new NodeLost("the node n was deleted (deleted by its owner)"), "n");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(decision.statusReason()).isEqualTo("the node n was deleted (deleted by its owner)");
        assertThat(decision.outgoing())
            .containsExactly(new TaskFailed("node", "the node n was deleted (deleted by its owner)"));
        SagaState provisioning = saga.start("t1", created).next();
        assertThat(saga.on(provisioning, new NodeLost("gone"), "n").next().status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void aLostNodeCompletesATaskWhoseTurnHadEndedAndAFollowUpIsThenIgnored() {
        SagaState ended = turnEnded(created);

        Decision decision = saga.on(ended, new NodeLost("the node n was deleted (deleted by its owner)"), "n");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(decision.next().status().isTerminal()).isTrue();
        assertThat(decision.statusReason()).startsWith("the node n was deleted").contains("the conversation has ended");
        assertThat(decision.outgoing()).hasSize(1).first().isInstanceOf(TaskCompleted.class);
        assertThat(saga.on(decision.next(), new FollowUpSubmitted("s1", 5, "more"), null).ignored()).isTrue();
    }

    @Test
    void aNodeLostForAnotherNodeIsIgnoredAndWhileCancellingItEndsTheCancel() {
        SagaState ended = turnEnded(created);
        assertThat(saga.on(ended, new NodeLost("gone"), "other-node").ignored()).isTrue();

        SagaState cancelling = saga.on(ended, new TaskCancelRequested("the user cancelled the task"), null).next();
        Decision decision = saga.on(cancelling, new NodeLost("gone"), "n");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.CANCELLED);
    }

    @Test
    void anIdleConversationIsCompletedItsAgentStoppedAndItsWorkspaceKept() {
        SagaState ended = turnEnded(created);

        Decision decision = saga.onOverdue(ended,
            new Overdue("idle", "the conversation had no follow-up for 2 hours", false));

        assertThat(decision.next().status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(decision.statusReason()).startsWith("the conversation had no follow-up for 2 hours; its agent was stopped");
        assertThat(decision.outgoing()).hasSize(2);
        assertThat(decision.outgoing().get(0)).isInstanceOf(TaskCompleted.class);
        assertThat(decision.outgoing().get(1)).isEqualTo(
            new AgentStopRequested("delivery-1", "ws-t1", decision.statusReason(), false));
    }

    private SagaState turnEnded(TaskCreated task) {
        SagaState creating = saga.on(saga.start("t1", task).next(), new NodeReady("local", false), "n").next();
        SagaState starting = saga.on(creating, new WorkspaceReady("ws-t1", "/w/ws-t1"), "n").next();
        SagaState running = saga.on(starting, new AgentStarted("delivery-1", "sess-1", "claude-code"), "n").next();
        return saga.on(running, new AgentTurnEnded("sess-1", "end_turn", 4), "n").next();
    }

    private SagaState startingAgent() {
        SagaState creating = saga.on(saga.start("t1", created).next(), new NodeReady("local", false), "n").next();
        return saga.on(creating, new WorkspaceReady("ws-t1", "/w/ws-t1"), "n").next();
    }
}
