package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.AgentPromptRequested;
import dev.handoff.contracts.events.AgentStopRequested;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentStopped;
import dev.handoff.contracts.events.BranchPublished;
import dev.handoff.contracts.events.PermissionRequested;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.events.WorkspaceRequested;
import dev.handoff.contracts.node.NodeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain JUnit: a node's report becomes the event it stands for, caused by the command it answers. */
class ReportTranslatorTest {

    @Test
    void agentStoppedAnswersTheStopCommandOfThatNode() {
        CommandLog commandLog = new CommandLog();
        ReportTranslator translator = new ReportTranslator();
        translator.commandLog = commandLog;
        Envelope stop = Envelope.causedBy(null, "task-1", "node-1", null,
            new AgentStopRequested("d1", "ws-task-1", "the user cancelled the task", true));
        commandLog.remember(stop);

        Envelope event = translator.toEvent("node-1", new NodeMessage.AgentStoppedReport(
            stop.eventId().toString(), "task-1", "d1", "cancelled", true)).orElseThrow();

        assertThat(event.payload()).isEqualTo(new AgentStopped("d1", "cancelled", true));
        assertThat(event.causationId()).isEqualTo(stop.eventId());
        assertThat(event.taskId()).isEqualTo("task-1");
        assertThat(event.nodeId()).isEqualTo("node-1");
        assertThat(translator.toEvent("node-2", new NodeMessage.AgentStoppedReport(
            stop.eventId().toString(), "task-1", "d1", "killed", true))).as("another node's report").isEmpty();
    }

    @Test
    void aWorkspaceFailureKeepsTheNodesClassification() {
        CommandLog commandLog = new CommandLog();
        ReportTranslator translator = new ReportTranslator();
        translator.commandLog = commandLog;
        Envelope create = Envelope.causedBy(null, "task-1", "node-1", null,
            new WorkspaceRequested("ws-1", "http://git.example/app.git", "main"));
        commandLog.remember(create);

        Envelope event = translator.toEvent("node-1", new NodeMessage.WorkspaceFailedReport(
            create.eventId().toString(), "task-1", "ws-1", "git clone failed: Connection refused", true, "network"))
            .orElseThrow();

        assertThat(event.payload()).isEqualTo(new WorkspaceFailed("ws-1", "git clone failed: Connection refused",
            true, "network"));
    }

    @Test
    void branchPublishedAnswersTheStartCommandWhoseTurnItPublished() {
        CommandLog commandLog = new CommandLog();
        ReportTranslator translator = new ReportTranslator();
        translator.commandLog = commandLog;
        Envelope start = Envelope.causedBy(null, "task-1", "node-1", null,
            new AgentStartRequested("ws-1", "d1", "claude-code", "Fix it"));
        commandLog.remember(start);

        Envelope event = translator.toEvent("node-1", new NodeMessage.BranchPublishedReport(
            start.eventId().toString(), "task-1", "ws-1", "handoff/fix-it-1a2b3c4d", "abc123", "pushed", null,
            "https://github.com/acme/app/pull/7")).orElseThrow();

        assertThat(event.payload()).isEqualTo(new BranchPublished("ws-1", "handoff/fix-it-1a2b3c4d", "abc123",
            "pushed", null, "https://github.com/acme/app/pull/7"));
        assertThat(event.causationId()).isEqualTo(start.eventId());
        assertThat(event.type()).isEqualTo("BranchPublished");
    }

    @Test
    void promptDeliveredAndPermissionRequestedAnswerTheCommandThatStartedThatTurn() {
        CommandLog commandLog = new CommandLog();
        ReportTranslator translator = new ReportTranslator();
        translator.commandLog = commandLog;
        Envelope prompt = Envelope.causedBy(null, "task-1", "node-1", null,
            new AgentPromptRequested("ws-task-1", "d1", "p1", "claude-code", "and a test", "s1", 4, "ask"));
        commandLog.remember(prompt);
        var toolCall = Json.MAPPER.createObjectNode().put("title", "Write a.txt");
        var options = Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode().put("optionId", "allow"));

        Envelope delivered = translator.toEvent("node-1", new NodeMessage.PromptDeliveredReport(
            prompt.eventId().toString(), "task-1", "d1", "p1", "s1", "loaded")).orElseThrow();
        Envelope asked = translator.toEvent("node-1", new NodeMessage.PermissionRequestedReport(
            prompt.eventId().toString(), "task-1", "d1", "s1", "r1", toolCall, options)).orElseThrow();

        assertThat(delivered.payload()).isEqualTo(new AgentPromptDelivered("d1", "p1", "s1", "loaded"));
        assertThat(delivered.causationId()).isEqualTo(prompt.eventId());
        assertThat(asked.payload()).isEqualTo(new PermissionRequested("d1", "s1", "r1", toolCall, options));
        assertThat(asked.causationId()).isEqualTo(prompt.eventId());
    }
}
