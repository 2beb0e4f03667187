package dev.handoff.contracts;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;
import dev.handoff.contracts.node.NodeSecrets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeProtocolTest {

    @Test
    void everyMessageReadsBackEqual() {
        List<NodeMessage> messages = List.of(
            new NodeMessage.Hello("n1", "tok", null, "host", "0.1.0"),
            new NodeMessage.Welcome("n1", "secret"),
            new NodeMessage.Welcome("n1", "secret", 512 * 1024),
            new NodeMessage.ReportRefused("stream-1", 8, "task t9 is no longer on this node"),
            new NodeMessage.Refused("unknown token"),
            new NodeMessage.CreateWorkspace("c1", "t1", "w1", "file:///repo.git", "main"),
            new NodeMessage.StartAgent("c2", "t1", "w1", "d1", "claude-code", "Fix it"),
            new NodeMessage.WorkspaceReadyReport("c1", "t1", "w1", "/w/w1"),
            new NodeMessage.WorkspaceReadyReport("c1", "t1", "w1", "/w/w1", "devcontainer",
                "devcontainer: .devcontainer/devcontainer.json found"),
            new NodeMessage.WorkspaceFailedReport("c1", "t1", "w1", "clone failed"),
            new NodeMessage.AgentStartedReport("c2", "t1", "d1", "s1", "claude-code"),
            new NodeMessage.AgentFailedReport("c2", "t1", "d1", "exited"),
            new NodeMessage.WorkspaceFailedReport("c1", "t1", "w1", "git clone failed: Connection refused", true,
                "network"),
            new NodeMessage.AgentFailedReport("c2", "t1", "d1", "npm: ECONNRESET", true, "network"),
            new NodeMessage.AgentOutputReport("c2", "t1", "s1", 3, "plan",
                Json.MAPPER.createObjectNode().put("sessionUpdate", "plan")),
            new NodeMessage.TurnEndedReport("c2", "t1", "s1", "end_turn", 3),
            new NodeMessage.Heartbeat(0.5, 2, 8_000_000_000L, 3_000_000_000L, 20_000_000_000L),
            new NodeMessage.NumberedReport("stream-1", 7,
                new NodeMessage.WorkspaceReadyReport("c1", "t1", "w1", "/w/w1")),
            new NodeMessage.Ack("stream-1", 7),
            new NodeMessage.StopAgent("c3", "t1", "w1", "d1", "the user cancelled the task", true),
            new NodeMessage.AgentStoppedReport("c3", "t1", "d1", "killed", true),
            new NodeMessage.CreateWorkspace("c1", "t1", "w1", "https://github.com/acme/app.git", "main",
                new NodeSecrets(java.util.Map.of(NodeSecrets.GITHUB_TOKEN, "ghp_x"))),
            new NodeMessage.StartAgent("c2", "t1", "w1", "d1", "claude-code", "Fix it", "ask",
                "http://localhost:8080/tasks/t1", new NodeSecrets(java.util.Map.of("anthropic_api_key", "sk-x"))),
            new NodeMessage.BranchPublishedReport("c2", "t1", "w1", "handoff/fix-it-1a2b3c4d", "abc", "pushed", null,
                "https://github.com/acme/app/pull/7"),
            new NodeMessage.SendPrompt("c4", "t1", "w1", "d1", "p1", "claude-code", "And a test", "s1", 3, "ask"),
            new NodeMessage.PromptDeliveredReport("c4", "t1", "d1", "p1", "s1", "loaded"),
            new NodeMessage.PermissionRequestedReport("c2", "t1", "d1", "s1", "r1",
                Json.MAPPER.createObjectNode().put("title", "Write"), Json.MAPPER.createArrayNode()),
            new NodeMessage.AnswerPermission("c5", "t1", "d1", "r1", "allow"));
        for (NodeMessage message : messages) {
            String frame = NodeProtocol.encode(message);
            assertThat(frame).contains("\"type\":");
            assertThat(NodeProtocol.decode(frame)).isEqualTo(message);
        }
    }

    @Test
    void aNumberedReportCarriesTheReportAsANestedTypedFrame() {
        String frame = NodeProtocol.encode(new NodeMessage.NumberedReport("s", 1,
            new NodeMessage.TurnEndedReport("c2", "t1", "s1", "end_turn", 3)));

        assertThat(frame).startsWith("{\"type\":\"report\"").contains("\"report\":{\"type\":\"turn_ended\"");
    }

    @Test
    void secretsNeverShowInToString() {
        var command = new NodeMessage.StartAgent("c2", "t1", "w1", "d1", "claude-code", "Fix it", null, null,
            new NodeSecrets(java.util.Map.of(NodeSecrets.GITHUB_TOKEN, "ghp_canary")));

        assertThat(command.toString()).doesNotContain("ghp_canary").contains("github_token");
    }

    @Test
    void refusesUnknownFrames() {
        assertThatThrownBy(() -> NodeProtocol.decode("{\"type\":\"reboot\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeProtocol.decode("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
