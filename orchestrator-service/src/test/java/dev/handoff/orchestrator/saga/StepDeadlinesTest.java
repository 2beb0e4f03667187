package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.vocabulary.TaskStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StepDeadlinesTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private final StepDeadlines deadlines = new StepDeadlines(Duration.ofMinutes(15), Duration.ofMinutes(30),
        Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
        Duration.ofHours(24), Duration.ofMinutes(2), Duration.ofHours(2));

    @Test
    void eachStepFailsWithAReasonAUserUnderstands() {
        assertThat(deadlines.check(TaskStatus.PROVISIONING_NODE, T0, T0, null, T0.plus(Duration.ofMinutes(14))))
            .isEmpty();
        assertThat(deadlines.check(TaskStatus.PROVISIONING_NODE, T0, T0, null, T0.plus(Duration.ofMinutes(15))))
            .contains(new Overdue("node", "the node did not connect within 15 minutes", false));
        assertThat(deadlines.check(TaskStatus.CREATING_WORKSPACE, T0, T0, null, T0.plus(Duration.ofMinutes(31))))
            .contains(new Overdue("workspace", "the workspace was not ready within 30 minutes", false));
        assertThat(deadlines.check(TaskStatus.STARTING_AGENT, T0, T0, null, T0.plus(Duration.ofMinutes(6))))
            .contains(new Overdue("agent", "the agent did not start within 5 minutes", false));
    }

    @Test
    void runningWithoutAnyOutputFailsAfterTheFirstOutputDeadline() {
        assertThat(deadlines.check(TaskStatus.RUNNING, T0, T0, null, T0.plus(Duration.ofMinutes(5))))
            .contains(new Overdue("first output",
                "the agent produced no output within 5 minutes of receiving the task", false));
    }

    @Test
    void silenceFirstStallsThenFails() {
        Instant lastOutput = T0.plus(Duration.ofMinutes(1));
        assertThat(deadlines.check(TaskStatus.RUNNING, T0, T0, lastOutput, lastOutput.plus(Duration.ofMinutes(29))))
            .isEmpty();
        assertThat(deadlines.check(TaskStatus.RUNNING, T0, T0, lastOutput, lastOutput.plus(Duration.ofMinutes(30))))
            .contains(new Overdue("stall", "the agent has produced no output for 30 minutes", true));
        assertThat(deadlines.check(TaskStatus.STALLED, T0, T0, lastOutput, lastOutput.plus(Duration.ofMinutes(31))))
            .as("already stalled: no second notice").isEmpty();
        assertThat(deadlines.check(TaskStatus.STALLED, T0, T0, lastOutput, lastOutput.plus(Duration.ofHours(2))))
            .contains(new Overdue("stall", "the agent produced no output for 2 hours", false));
    }

    @Test
    void theCeilingEndsAnyTask() {
        Instant now = T0.plus(Duration.ofHours(24));
        assertThat(deadlines.check(TaskStatus.RUNNING, T0, now.minusSeconds(1), now.minusSeconds(1), now))
            .contains(new Overdue("ceiling", "the task ran longer than its limit of 24 hours", false));
    }

    @Test
    void endedTasksHaveNoDeadline() {
        Instant late = T0.plus(Duration.ofDays(3));
        assertThat(deadlines.check(TaskStatus.FAILED, T0, T0, T0, late)).isEmpty();
        assertThat(deadlines.check(TaskStatus.COMPLETED, T0, T0, T0, late)).isEmpty();
        assertThat(deadlines.check(TaskStatus.CANCELLED, T0, T0, T0, late)).isEmpty();
    }

    @Test
    void betweenTurnsOnlyTheIdleTimeCountsNotTheCeiling() {
        Instant ended = T0.plus(Duration.ofHours(23));
        assertThat(deadlines.check(TaskStatus.TURN_ENDED, T0, ended, ended, ended.plus(Duration.ofMinutes(119))))
            .as("past the ceiling, within the idle time").isEmpty();
        assertThat(deadlines.check(TaskStatus.TURN_ENDED, T0, ended, ended, ended.plus(Duration.ofHours(2))))
            .contains(new Overdue("idle", "the conversation had no follow-up for 2 hours", false));
        assertThat(TaskStatus.TURN_ENDED.isInFlight()).isFalse();
        assertThat(TaskStatus.RUNNING.isInFlight()).isTrue();
    }

    @Test
    void waitingForPermissionHasNoStallDeadlineOnlyTheCeiling() {
        Instant asked = T0.plus(Duration.ofMinutes(1));
        assertThat(deadlines.check(TaskStatus.WAITING_FOR_PERMISSION, T0, asked, asked, asked.plus(Duration.ofHours(5))))
            .isEmpty();
        assertThat(deadlines.check(TaskStatus.WAITING_FOR_PERMISSION, T0, asked, asked, T0.plus(Duration.ofDays(2))))
            .get().extracting(Overdue::step).isEqualTo("ceiling");
    }

    @Test
    void aFollowUpTheAgentDoesNotTakeFailsAfterTheAgentStartDeadline() {
        Instant sent = T0.plus(Duration.ofHours(1));
        assertThat(deadlines.check(TaskStatus.DELIVERING_PROMPT, T0, sent, T0, sent.plus(Duration.ofMinutes(6))))
            .get().extracting(Overdue::reason).asString().contains("did not take the follow-up");
    }

    @Test
    void cancellingEndsAfterTheCancelDeadlineNotTheCeiling() {
        Instant since = T0.plus(Duration.ofHours(30));
        assertThat(deadlines.check(TaskStatus.CANCELLING, T0, since, null, since.plusSeconds(119))).isEmpty();
        assertThat(deadlines.check(TaskStatus.CANCELLING, T0, since, null, since.plusSeconds(120)))
            .contains(new Overdue("cancel", "the node did not confirm the cancel within 2 minutes", false));
    }

    @Test
    void durationsReadLikeSpeech() {
        assertThat(StepDeadlines.human(Duration.ofMinutes(1))).isEqualTo("1 minute");
        assertThat(StepDeadlines.human(Duration.ofSeconds(90))).isEqualTo("1 minute 30 seconds");
        assertThat(StepDeadlines.human(Duration.ofSeconds(3))).isEqualTo("3 seconds");
        assertThat(StepDeadlines.human(Duration.ofMillis(500))).isEqualTo("500 ms");
    }
}
