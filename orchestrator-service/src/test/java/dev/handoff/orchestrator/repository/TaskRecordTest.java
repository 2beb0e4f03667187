package dev.handoff.orchestrator.repository;

import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.orchestrator.saga.Conversation;
import dev.handoff.orchestrator.saga.TaskOutcome;
import dev.handoff.orchestrator.saga.Placement;
import dev.handoff.orchestrator.saga.SagaState;
import dev.handoff.orchestrator.saga.StepRetry;
import dev.handoff.orchestrator.saga.TaskRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskRecordTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void aStateSurvivesTheRowWithTheNodesToAvoidAndTheAnsweredRequestsAsTheyWere() {
        SagaState state = new SagaState("t1", TaskStatus.RUNNING,
            new TaskRequest("claude-code", "https://example.test/r.git", "main", "Fix it", "ask", "user-1", "small"),
            new Placement("node-2", "ws-1", "delivery-1", "sess-1", List.of("node-1")),
            new Conversation("prompt-1", 42, List.of("r1", "a request, with \"quotes\" and commas", "r3")),
            StepRetry.FIRST_ATTEMPT, TaskOutcome.NONE);
        TaskRecord record = new TaskRecord();

        record.apply(state, AT);

        assertThat(record.toState()).isEqualTo(state);
    }

    @Test
    void aStateSurvivesTheRowWithItsRetryDueAndItsReasons() {
        SagaState state = new SagaState("t1", TaskStatus.CREATING_WORKSPACE,
            new TaskRequest("claude-code", "u", "main", "d", null, "user-1", "large"),
            new Placement("node-2", "ws-1", null, null, List.of()), Conversation.NEW,
            new StepRetry(2, AT.plusSeconds(4)), new TaskOutcome("end_turn", "clone failed"));
        TaskRecord record = new TaskRecord();

        record.apply(state, AT);

        assertThat(record.toState()).isEqualTo(state);
        assertThat(record.attempt).isEqualTo(2);
        assertThat(record.retryAt).isEqualTo(AT.plusSeconds(4));
        assertThat(record.stopReason).isEqualTo("end_turn");
        assertThat(record.failureReason).isEqualTo("clone failed");
    }

    @Test
    void aRowWrittenBeforeAnsweredRequestsWereKeptReadsAsNoneAnswered() {
        TaskRecord record = new TaskRecord();
        record.apply(new SagaState("t1", TaskStatus.RUNNING, new TaskRequest("claude-code", "u", "main", "d", null,
            null, null), Placement.NOWHERE, Conversation.NEW, StepRetry.FIRST_ATTEMPT, TaskOutcome.NONE), AT);
        record.answeredPermissions = null;

        assertThat(record.toState().conversation().answeredPermissions()).isEmpty();
    }
}
