package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.AgentStartedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import org.junit.jupiter.api.Test;

/** Report ordering of one session, without a process. */
class AgentSessionTest {

    private static final StartAgent COMMAND = new StartAgent("cmd-1", "task-1", "ws-1", "d-1", "fake", "hi");

    private final RecordingReportSink reports = new RecordingReportSink();
    private final AgentSession session = new AgentSession(COMMAND, reports);

    @Test
    void updatesReadBeforeAgentStartedFollowIt() {
        session.relayUpdate("s-1", update("available_commands_update"));
        session.relayUpdate("s-1", update("agent_message_chunk"));
        assertThat(reports.reports()).isEmpty();

        session.reportStarted("s-1");
        session.relayUpdate("s-1", update("tool_call"));
        session.reportTurnEnded("end_turn");

        assertThat(reports.reports()).satisfiesExactly(
            first -> assertThat(first).isEqualTo(new AgentStartedReport("cmd-1", "task-1", "d-1", "s-1", "fake")),
            second -> assertThat(((AgentOutputReport) second).sequence()).isEqualTo(1),
            third -> assertThat(((AgentOutputReport) third).sequence()).isEqualTo(2),
            fourth -> assertThat(((AgentOutputReport) fourth).kind()).isEqualTo("tool_call"),
            fifth -> assertThat(fifth).isEqualTo(new TurnEndedReport("cmd-1", "task-1", "s-1", "end_turn", 3)));
    }

    @Test
    void aFailedStartReportsOnlyTheFailure() {
        session.relayUpdate("s-1", update("available_commands_update"));

        session.reportFailed("no answer");
        session.reportStarted("s-1");
        session.relayUpdate("s-1", update("agent_message_chunk"));

        assertThat(reports.reports()).containsExactly(new AgentFailedReport("cmd-1", "task-1", "d-1", "no answer",
            false, "start_failed"));
    }

    @Test
    void aDuplicateWhileStartingIsAnsweredByTheStartItself() {
        session.answerDuplicate(COMMAND);
        assertThat(reports.reports()).isEmpty();

        session.reportStarted("s-1");
        session.answerDuplicate(new StartAgent("cmd-2", "task-1", "ws-1", "d-1", "fake", "hi"));

        assertThat(reports.reportsOf(AgentStartedReport.class)).extracting(AgentStartedReport::commandId)
            .containsExactly("cmd-1", "cmd-2");
    }

    @Test
    void theSameCommandDeliveredAgainIsNotReportedTwice() {
        // Kafka hands a restarted gateway the StartAgent it had already routed (its offset was not yet committed):
        // the first AgentStartedReport is in the relay, acked or replayed on reconnect; another would become a
        // second AgentStarted event for the same delivery.
        session.reportStarted("s-1");
        session.answerDuplicate(COMMAND);
        StartAgent retried = new StartAgent("cmd-2", "task-1", "ws-1", "d-1", "fake", "hi");
        session.answerDuplicate(retried);
        session.answerDuplicate(retried);
        assertThat(reports.reportsOf(AgentStartedReport.class)).extracting(AgentStartedReport::commandId)
            .containsExactly("cmd-1", "cmd-2");

        AgentSession failing = new AgentSession(COMMAND, reports);
        failing.reportFailed("no answer");
        failing.answerDuplicate(COMMAND);
        assertThat(reports.reportsOf(AgentFailedReport.class)).hasSize(1);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode update(String kind) {
        return Json.MAPPER.createObjectNode().put("sessionUpdate", kind);
    }
}
