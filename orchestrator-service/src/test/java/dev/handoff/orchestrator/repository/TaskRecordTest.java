package dev.handoff.orchestrator.repository;

import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.orchestrator.saga.SagaState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskRecordTest {

    @Test
    void aStateSurvivesTheRowWithTheNodesToAvoidAndTheAnsweredRequestsAsTheyWere() {
        SagaState state = new SagaState("t1", TaskStatus.RUNNING, "claude-code", "https://example.test/r.git", "main",
            "Fix it", "node-2", "ws-1", "delivery-1", "sess-1", null, null, "ask", "prompt-1", 42, "user-1", "small",
            0, null, List.of("node-1"), List.of("r1", "a request, with \"quotes\" and commas", "r3"));
        TaskRecord record = new TaskRecord();

        record.apply(state, Instant.parse("2026-12-03T10:00:00Z"));

        assertThat(record.toState()).isEqualTo(state);
    }

    @Test
    void aRowWrittenBeforeAnsweredRequestsWereKeptReadsAsNoneAnswered() {
        TaskRecord record = new TaskRecord();
        record.apply(new SagaState("t1", TaskStatus.RUNNING, "claude-code", "u", "main", "d", null, null, null, null,
            null, null), Instant.parse("2026-12-03T10:00:00Z"));
        record.answeredPermissions = null;

        assertThat(record.toState().answeredPermissions()).isEmpty();
    }
}
