package dev.handoff.gateway.service;

import dev.handoff.contracts.Json;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.AgentStopped;
import dev.handoff.contracts.events.BranchPublished;
import dev.handoff.contracts.events.PermissionRequested;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.gateway.service.ReportTranslator.Claim;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain JUnit: a node's report reads as the event it stands for and the command and task it claims to answer. */
class ReportTranslatorTest {

    private final ReportTranslator translator = new ReportTranslator();

    @Test
    void agentStoppedClaimsTheStopCommand() {
        assertThat(translator.claimOf("node-1", new NodeMessage.AgentStoppedReport("c3", "task-1", "d1", "cancelled",
            true))).contains(new Claim("c3", "task-1", new AgentStopped("d1", "cancelled", true), List.of("d1")));
    }

    @Test
    void aWorkspaceFailureKeepsTheNodesClassification() {
        assertThat(translator.claimOf("node-1", new NodeMessage.WorkspaceFailedReport("c1", "task-1", "ws-1",
            "git clone failed: Connection refused", true, "network")).orElseThrow().payload())
            .isEqualTo(new WorkspaceFailed("ws-1", "git clone failed: Connection refused", true, "network"));
    }

    @Test
    void branchPublishedCarriesThePullRequest() {
        assertThat(translator.claimOf("node-1", new NodeMessage.BranchPublishedReport("c2", "task-1", "ws-1",
            "handoff/fix-it-1a2b3c4d", "abc123", "pushed", null, "https://github.com/acme/app/pull/7")))
            .contains(new Claim("c2", "task-1", new BranchPublished("ws-1", "handoff/fix-it-1a2b3c4d", "abc123",
                "pushed", null, "https://github.com/acme/app/pull/7"), List.of("ws-1")));
    }

    @Test
    void promptDeliveredAndPermissionRequested() {
        var toolCall = Json.MAPPER.createObjectNode().put("title", "Write a.txt");
        var options = Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode().put("optionId", "allow"));

        assertThat(translator.claimOf("node-1", new NodeMessage.PromptDeliveredReport("c4", "task-1", "d1", "p1",
            "s1", "loaded")).orElseThrow().payload()).isEqualTo(new AgentPromptDelivered("d1", "p1", "s1", "loaded"));
        Claim permission = translator.claimOf("node-1", new NodeMessage.PermissionRequestedReport("c4", "task-1", "d1",
            "s1", "r1", toolCall, options)).orElseThrow();
        assertThat(permission.payload()).isEqualTo(new PermissionRequested("d1", "s1", "r1", toolCall, options));
        assertThat(permission.ids()).as("every id the node chose, for the length limit").containsExactly("d1", "s1",
            "r1");
    }

    @Test
    void aCommandIsNotAReport() {
        assertThat(translator.claimOf("node-1", new NodeMessage.AnswerPermission("c5", "task-1", "d1", "r1",
            "allow"))).isEmpty();
    }
}
