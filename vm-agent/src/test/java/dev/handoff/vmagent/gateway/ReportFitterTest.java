package dev.handoff.vmagent.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.PermissionRequestedReport;
import org.junit.jupiter.api.Test;

/** Plain JUnit: an oversized report is shortened under the frame limit, saying so; a small one is left alone. */
class ReportFitterTest {

    private static final int LIMIT = 32 * 1024;

    @Test
    void aReportThatFitsIsReturnedAsItIs() {
        NodeMessage small = GatewayClientTest.bigToolUpdate(1, 1_000);
        assertThat(ReportFitter.fit("s", 1, small, LIMIT)).isSameAs(small);
    }

    @Test
    void theLongestStringIsCutEndingInANoteAndTheFrameFits() {
        AgentOutputReport big = GatewayClientTest.bigToolUpdate(7, 200_000);

        AgentOutputReport fitted = (AgentOutputReport) ReportFitter.fit("s", 12, big, LIMIT);

        assertThat(ReportFitter.frameBytes("s", 12, fitted)).isLessThanOrEqualTo(LIMIT);
        String newText = fitted.update().path("content").get(0).path("newText").asText();
        assertThat(newText).startsWith("line 1\n")
            .endsWith("characters left out to fit the node connection's frame limit of 32 KiB]");
        assertThat(fitted.update().path("content").get(0).path("path").asText()).isEqualTo("/w/big.txt");
        assertThat(fitted.sequence()).isEqualTo(7);
        assertThat(fitted.kind()).isEqualTo("tool_call_update");
        assertThat(big.update().path("content").get(0).path("newText").asText()).as("the original is untouched")
            .hasSizeGreaterThan(199_000);
    }

    @Test
    void multiByteTextIsMeasuredInBytes() {
        var update = Json.MAPPER.createObjectNode().put("sessionUpdate", "agent_message_chunk");
        update.putObject("content").put("type", "text").put("text", "ü€😀".repeat(30_000));
        var big = new AgentOutputReport("c", "t", "s1", 1, "agent_message_chunk", update);

        NodeMessage fitted = ReportFitter.fit("s", 1, big, LIMIT);

        assertThat(ReportFitter.frameBytes("s", 1, fitted)).isLessThanOrEqualTo(LIMIT);
        assertThat(fitted.toString()).contains("[Handoff shortened this output: ");
    }

    @Test
    void manySmallStringsLeaveOnlyTheUpdatesIdentityAndTheNote() {
        var update = Json.MAPPER.createObjectNode().put("sessionUpdate", "tool_call_update")
            .put("toolCallId", "tool-9");
        var lines = update.putArray("rawOutput");
        for (int i = 0; i < 20_000; i++) {
            lines.add("x" + i);
        }
        var big = new AgentOutputReport("c", "t", "s1", 1, "tool_call_update", update);

        AgentOutputReport fitted = (AgentOutputReport) ReportFitter.fit("s", 1, big, LIMIT);

        assertThat(ReportFitter.frameBytes("s", 1, fitted)).isLessThanOrEqualTo(LIMIT);
        assertThat(fitted.update().path("toolCallId").asText()).isEqualTo("tool-9");
        assertThat(fitted.update().toString()).contains("was left out to fit");
    }

    @Test
    void aPermissionRequestForABigWriteIsShortenedToo() {
        var toolCall = Json.MAPPER.createObjectNode().put("title", "Write big.txt");
        toolCall.putObject("rawInput").put("content", "y".repeat(100_000));
        var asked = new PermissionRequestedReport("c", "t", "d", "s1", "r1", toolCall,
            Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode().put("optionId", "allow")));

        PermissionRequestedReport fitted = (PermissionRequestedReport) ReportFitter.fit("s", 1, asked, LIMIT);

        assertThat(ReportFitter.frameBytes("s", 1, fitted)).isLessThanOrEqualTo(LIMIT);
        assertThat(fitted.toolCall().path("title").asText()).isEqualTo("Write big.txt");
        assertThat(fitted.options()).isEqualTo(asked.options());
    }
}
