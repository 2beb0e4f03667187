package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.gateway.repository.AssignmentRepository;
import dev.handoff.gateway.repository.RoutedCommand;
import dev.handoff.gateway.repository.TaskAssignment;
import dev.handoff.gateway.service.ReportAuthority.Verdict;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain JUnit, the stored rows played by maps: a node speaks only for the tasks it holds, on commands routed to it.
 */
class ReportAuthorityTest {

    private final Map<String, RoutedCommand> commands = new HashMap<>();
    private final Map<String, TaskAssignment> holders = new HashMap<>();
    private final ReportAuthority authority = new ReportAuthority();

    ReportAuthorityTest() {
        authority.translator = new ReportTranslator();
        authority.assignments = new AssignmentRepository() {
            @Override
            public Uni<RoutedCommand> command(String commandId) {
                return Uni.createFrom().item(commands.get(commandId));
            }

            @Override
            public Uni<TaskAssignment> assignmentOf(String taskId) {
                return Uni.createFrom().item(holders.get(taskId));
            }
        };
    }

    @Test
    void theHoldingNodesReportOnItsCommandIsTakenCausedByThatCommandInItsTrace() {
        String start = route("task-a", "node-a");

        Verdict verdict = judge("node-a", output(start, "task-a"));

        assertThat(verdict.isRefused()).isFalse();
        Envelope event = verdict.event().orElseThrow();
        assertThat(event.causationId()).isEqualTo(UUID.fromString(start));
        assertThat(event.taskId()).isEqualTo("task-a");
        assertThat(event.nodeId()).isEqualTo("node-a");
        assertThat(event.traceparent()).isEqualTo(commands.get(start).traceparent);
        assertThat(event.payload()).isInstanceOf(AgentOutput.class);
    }

    @Test
    void aMadeUpCommandIdNamingAnotherUsersTaskIsRefused() {
        route("task-a", "node-a");

        Verdict verdict = judge("node-b", output(UUID.randomUUID().toString(), "task-a"));

        assertThat(verdict.event()).isEmpty();
        assertThat(verdict.refusal()).contains("was not routed to this node");
    }

    @Test
    void anotherNodesRealCommandIsRefused() {
        String start = route("task-a", "node-a");
        route("task-b", "node-b");

        assertThat(judge("node-b", output(start, "task-a")).refusal()).contains("was not routed to this node");
        assertThat(judge("node-b", output(start, "task-b")).refusal()).as("its own task on A's command")
            .contains("was not routed to this node");
    }

    @Test
    void aCommandOfOneTaskDoesNotCoverAnotherTaskOfTheSameNode() {
        String mine = route("task-b", "node-b");
        route("task-c", "node-b");

        assertThat(judge("node-b", output(mine, "task-c")).refusal()).contains("was not routed to this node");
    }

    @Test
    void aNodeTheTaskMovedAwayFromIsRefusedFromThenOn() {
        String onFirst = route("task-a", "node-1");
        String onSecond = route("task-a", "node-2");

        assertThat(judge("node-1", output(onFirst, "task-a")).refusal()).contains("no longer on this node");
        assertThat(judge("node-2", output(onSecond, "task-a")).isRefused()).isFalse();
    }

    @Test
    void aReportWithoutCommandOrTaskIdIsRefused() {
        assertThat(judge("node-a", output("not-a-uuid", "task-a")).refusal()).contains("command id");
        assertThat(judge("node-a", output(UUID.randomUUID().toString(), null)).refusal()).contains("task id");
    }

    @Test
    void anIdLongerThanTheLimitIsRefusedEvenFromTheHoldingNode() {
        String start = route("task-a", "node-a");
        String longest = "r".repeat(ReportAuthority.MAX_ID_LENGTH);

        assertThat(judge("node-a", permission(start, "task-a", longest)).isRefused()).isFalse();
        assertThat(judge("node-a", permission(start, "task-a", longest + "r")).refusal())
            .isEqualTo("an id in the report is longer than 200 characters");
        assertThat(judge("node-a", new NodeMessage.AgentOutputReport(start, "task-a", "s".repeat(100_000), 1,
            "agent_message_chunk", dev.handoff.contracts.Json.MAPPER.createObjectNode())).refusal())
            .as("an agent session id").contains("longer than 200 characters");
        assertThat(judge("node-a", output(start, "t".repeat(201))).refusal()).as("a task id")
            .contains("longer than 200 characters");
    }

    /** What {@link TaskAssignments#recordRouted} stores for a command routed to {@code nodeId}. */
    private String route(String taskId, String nodeId) {
        String commandId = UUID.randomUUID().toString();
        RoutedCommand routed = new RoutedCommand();
        routed.commandId = commandId;
        routed.taskId = taskId;
        routed.nodeId = nodeId;
        routed.type = "AgentStartRequested";
        routed.traceparent = "00-" + UUID.randomUUID().toString().replace("-", "") + "-00f067aa0ba902b7-01";
        commands.put(commandId, routed);
        TaskAssignment holder = new TaskAssignment();
        holder.taskId = taskId;
        holder.nodeId = nodeId;
        holder.commandId = commandId;
        holders.put(taskId, holder);
        return commandId;
    }

    private Verdict judge(String nodeId, NodeMessage report) {
        return authority.judge(nodeId, report).await().indefinitely();
    }

    private static NodeMessage permission(String commandId, String taskId, String requestId) {
        return new NodeMessage.PermissionRequestedReport(commandId, taskId, "d1", "s1", requestId,
            dev.handoff.contracts.Json.MAPPER.createObjectNode(), dev.handoff.contracts.Json.MAPPER.createArrayNode());
    }

    private static NodeMessage output(String commandId, String taskId) {
        return new NodeMessage.AgentOutputReport(commandId, taskId, "s1", 1, "agent_message_chunk",
            dev.handoff.contracts.Json.MAPPER.createObjectNode().put("sessionUpdate", "agent_message_chunk"));
    }
}
