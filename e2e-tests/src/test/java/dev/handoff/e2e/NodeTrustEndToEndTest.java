package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.e2e.KafkaTopics.Recorded;
import dev.handoff.localstack.HandoffStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node trust rule, tried as a hostile user would: user B attaches a "node" through the real attach API, speaks
 * the node protocol on the gateway's WebSocket itself, and sends numbered reports naming user A's task, on a made-up
 * command id and on A's real command (routed to A's node). The gateway refuses each ({@code report_refused}, then an
 * ack so B's stream goes on) and makes no event: A's chat never shows B's text or B's "pull request", A's task keeps
 * its status and answers A's follow-up. B's heartbeats are still taken.
 */
@ExtendWith(SharedStack.class)
class NodeTrustEndToEndTest {

    private static final Duration TURN = Duration.ofMinutes(3);

    private final HandoffStack stack = SharedStack.get().stack();
    private final String url = stack.chatUrl();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void aNodeOfAnotherUserCannotSpeakForATaskItDoesNotHold() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        HandoffApi a = new HandoffApi(url);
        String projectId = a.createProject("victim " + marker, repositoryUrl);
        JsonNode submitted = a.submitTask(projectId, "Say hello " + marker);
        String taskId = submitted.path("taskId").asText();
        String sessionId = submitted.path("sessionId").asText();
        await().atMost(TURN).until(() -> a.task(taskId).path("status").asText().equals("turn_ended"));
        // What an attacker may learn (task ids are in commit messages and pull requests; the rest the test reads
        // from Kafka to make the forgery as good as it gets): A's real start command and agent session.
        List<Recorded> commands = KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_COMMANDS).stream()
            .filter(r -> taskId.equals(r.event().taskId())).toList();
        Recorded start = commands.stream().filter(r -> r.event().type().equals("AgentStartRequested")).findFirst()
            .orElseThrow();
        String realCommand = start.event().eventId().toString();
        String deliveryId = start.event().payload(AgentStartRequested.class).deliveryId();
        String workspaceId = start.event().payload(AgentStartRequested.class).workspaceId();
        String agentSessionId = KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
            .filter(r -> taskId.equals(r.event().taskId()) && r.event().type().equals("AgentStarted")).findFirst()
            .orElseThrow().event().payload(AgentStarted.class).agentSessionId();
        String madeUp = UUID.randomUUID().toString();

        HandoffApi b = new HandoffApi(url);
        JsonNode ticket = b.attachNode();
        String hostileNodeId = ticket.path("nodeId").asText();
        String forgedText = "B-WAS-HERE-" + marker;
        String forgedLink = "https://attacker.example/pull/" + marker;
        HostileNode hostile = HostileNode.attach(stack.gatewayUrl(), hostileNodeId, ticket.path("token").asText());
        try {
            // Connected as far as the provisioner knows (it drops a heartbeat older than its record of the connect).
            await("B's node connected").atMost(Duration.ofSeconds(30))
                .until(() -> b.node(hostileNodeId).path("status").asText().equals("connected"));
            hostile.report(new NodeMessage.AgentOutputReport(madeUp, taskId, agentSessionId, 1000,
                "agent_message_chunk", chunk(forgedText + " (made-up command)")));
            hostile.report(new NodeMessage.BranchPublishedReport(madeUp, taskId, workspaceId, "handoff/x", "abc",
                "pushed", null, forgedLink));
            hostile.report(new NodeMessage.AgentOutputReport(realCommand, taskId, agentSessionId, 1001,
                "agent_message_chunk", chunk(forgedText + " (A's real command)")));
            hostile.report(new NodeMessage.BranchPublishedReport(realCommand, taskId, workspaceId, "handoff/x", "abc",
                "pushed", null, forgedLink + "/real"));
            long last = hostile.report(new NodeMessage.AgentFailedReport(realCommand, taskId, deliveryId,
                "forged failure " + marker, false, null));
            hostile.send(new NodeMessage.Heartbeat(0.1, 2, 8_000_000_000L, 4_000_000_000L, 12_345_678_901L));

            await("every forged report acked").atMost(Duration.ofSeconds(30))
                .until(() -> hostile.ackedUpTo() == last);
            // Heartbeats stay accepted: B's node shows the vitals it sent.
            await("the hostile node's heartbeat").atMost(Duration.ofSeconds(30))
                .until(() -> b.node(hostileNodeId).path("diskFreeBytes").asLong() == 12_345_678_901L);
            assertThat(hostile.isOpen()).as("the connection stays: refusals are answers, not a hang-up").isTrue();

            // A barrier: A's follow-up goes through the same topic partition (keyed by the task) after anything the
            // gateway could have made of B's reports; once its answer is in A's chat, a forged event would be too.
            String followUp = "And once more " + marker;
            assertThat(a.sendFollowUp(sessionId, followUp).status()).as("A's task takes follow-ups")
                .isEqualTo(202);
            await().atMost(TURN).until(() -> a.messages(sessionId).stream()
                .anyMatch(m -> m.path("role").asText().equals("assistant")
                    && m.path("content").asText().contains(followUp)));
            await().atMost(TURN).until(() -> a.task(taskId).path("status").asText().equals("turn_ended"));

            String chat = a.messages(sessionId).toString();
            assertThat(chat).doesNotContain(forgedText).doesNotContain("attacker.example")
                .doesNotContain("forged failure");
            JsonNode task = a.task(taskId);
            assertThat(task.path("status").asText()).isEqualTo("turn_ended");
            assertThat(task.path("pullRequestUrl").isNull() || task.path("pullRequestUrl").isMissingNode()).isTrue();
            assertThat(task.toString()).doesNotContain("attacker.example").doesNotContain("forged failure");
            assertThat(KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
                .filter(r -> hostileNodeId.equals(r.event().nodeId()) && r.event().taskId() != null)
                .map(r -> r.event().type()).toList()).as("no event of B's node names a task").isEmpty();
            assertThat(Files.readString(stack.logFile("vm-agent-gateway")))
                .contains("node " + hostileNodeId + " refused a report: command " + madeUp + " of task " + taskId
                    + " was not routed to this node")
                .contains("node " + hostileNodeId + " refused a report: command " + realCommand + " of task " + taskId
                    + " was not routed to this node");
            assertThat(hostile.refusals()).as("a report_refused per forged report")
                .extracting(refusal -> refusal.path("number").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(hostile.refusals().get(0).path("reason").asText()).contains("was not routed to this node");
        } finally {
            hostile.close();
            b.deleteNode(hostileNodeId);
        }
    }

    /**
     * A node may not make other services keep megabyte ids: a permission request whose id is longer than 200
     * characters is refused ({@code report_refused}, no event) even from a node of the user's own, and the node's
     * stream goes on (the next report is acknowledged).
     */
    @Test
    void aReportWithAnIdOver200CharactersIsRefusedAndMakesNoEvent() throws Exception {
        HandoffApi owner = new HandoffApi(stack.chatUrl());
        JsonNode ticket = owner.attachNode();
        String nodeId = ticket.path("nodeId").asText();
        HostileNode node = HostileNode.attach(stack.gatewayUrl(), nodeId, ticket.path("token").asText());
        try {
            String taskId = UUID.randomUUID().toString();
            String longId = "r".repeat(201);
            long oversized = node.report(new NodeMessage.PermissionRequestedReport(UUID.randomUUID().toString(),
                taskId, "d1", "s1", longId, Json.MAPPER.createObjectNode(), Json.MAPPER.createArrayNode()));
            long next = node.report(new NodeMessage.AgentOutputReport(UUID.randomUUID().toString(), taskId, "s1", 1,
                "agent_message_chunk", chunk("after")));
            await("both reports answered").atMost(Duration.ofSeconds(20)).until(() -> node.ackedUpTo() >= next);
            assertThat(node.refusals()).anySatisfy(refusal -> {
                assertThat(refusal.path("number").asLong()).isEqualTo(oversized);
                assertThat(refusal.path("reason").asText())
                    .isEqualTo("an id in the report is longer than 200 characters");
            });
            assertThat(KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
                .filter(r -> taskId.equals(r.event().taskId())).toList()).as("no event for the task").isEmpty();
        } finally {
            node.close();
            owner.deleteNode(nodeId);
        }
    }

    private static JsonNode chunk(String text) {
        var update = Json.MAPPER.createObjectNode().put("sessionUpdate", "agent_message_chunk");
        update.putObject("content").put("type", "text").put("text", text);
        return update;
    }
}
