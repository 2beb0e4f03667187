package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a vm-agent started again finds of the one before it: agent processes that outlived it, turns under way. */
class RestartRecoveryTest {

    @TempDir
    Path work;

    @Test
    void anAgentProcessThatOutlivedItsVmAgentIsKilledWithItsChildren() throws Exception {
        Process agent = new ProcessBuilder("sh", "-c", "sleep 300 & sleep 300; wait").start();
        try {
            new AgentProcessRecords(work).started("delivery-1", agent);
            await(() -> agent.descendants().count() >= 2);
            List<ProcessHandle> children = agent.descendants().toList();

            List<ProcessHandle> killed = new AgentProcessRecords(work).killLeftovers();

            assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            ProcessTree.awaitExit(children, Duration.ofSeconds(10));
            assertThat(children).noneMatch(ProcessHandle::isAlive);
            assertThat(killed).contains(agent.toHandle());
            assertThat(new AgentProcessRecords(work).killLeftovers()).as("records are forgotten").isEmpty();
        } finally {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroyForcibly();
        }
    }

    @Test
    void aProcessThatExitedIsForgottenAndAReusedProcessIdIsNotKilled() throws Exception {
        Process exits = new ProcessBuilder("true").start();
        var records = new AgentProcessRecords(work);
        records.started("delivery-1", exits);
        exits.waitFor();
        await(() -> !java.nio.file.Files.exists(work.resolve("delivery-1.json")));

        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            // a record whose process id now names another process (other start time) must not kill it
            new JsonRecordDir<>(work, AgentProcessRecords.AgentProcess.class).write("delivery-2",
                new AgentProcessRecords.AgentProcess("delivery-2", unrelated.pid(), java.time.Instant.EPOCH));
            assertThat(new AgentProcessRecords(work).killLeftovers()).isEmpty();
            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void aTurnUnderWayWhenTheVmAgentDiedIsReportedFailedOnceAndAnEndedTurnIsNot() throws Exception {
        var turns = new TurnsInFlight(work);
        turns.begin("delivery-1", "cmd-1", "task-1", null);
        turns.begin("delivery-2", "cmd-2", "task-2", "prompt-2");
        turns.clearing("delivery-2", report -> { }).report(new TurnEndedReport("cmd-2", "task-2", "session-2",
            "end_turn", 3));

        var reports = new RecordingReportSink();
        new TurnsInFlight(work).failLeftovers(reports);

        assertThat(reports.reports()).containsExactly(new AgentFailedReport("cmd-1", "task-1", "delivery-1",
            TurnsInFlight.RESTARTED_DURING_THE_TURN, false, "agent_restarted"));
        var again = new RecordingReportSink();
        new TurnsInFlight(work).failLeftovers(again);
        assertThat(again.reports()).isEmpty();
    }

    @Test
    void aTurnsRecordStaysUntilTheGatewayHasItsEndAndALaterTurnsRecordIsKept() throws Exception {
        var turns = new TurnsInFlight(work);
        List<Runnable> untilAcked = new java.util.ArrayList<>();
        var unackedSink = new dev.handoff.vmagent.gateway.ReportSink() {
            @Override
            public void report(dev.handoff.contracts.node.NodeMessage report) {
            }

            @Override
            public void afterTaken(Runnable action) {
                untilAcked.add(action);
            }
        };
        turns.begin("delivery-1", "cmd-1", "task-1", null);
        turns.clearing("delivery-1", unackedSink).report(new TurnEndedReport("cmd-1", "task-1", "session-1",
            "end_turn", 3));

        var killedBeforeTheAck = new RecordingReportSink();
        new TurnsInFlight(work).failLeftovers(killedBeforeTheAck);
        assertThat(killedBeforeTheAck.reports()).as("the end was not acked: reported failed after a restart")
            .hasSize(1);

        turns.begin("delivery-1", "cmd-2", "task-1", "prompt-2");
        untilAcked.forEach(Runnable::run);
        var afterTheAck = new RecordingReportSink();
        new TurnsInFlight(work).failLeftovers(afterTheAck);
        assertThat(afterTheAck.reports()).as("the follow-up's turn is still under way").containsExactly(
            new AgentFailedReport("cmd-2", "task-1", "delivery-1", TurnsInFlight.RESTARTED_DURING_THE_TURN,
                false, "agent_restarted"));
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition);
    }
}
