package dev.handoff.vmagent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;

import java.util.Set;

/**
 * Consecutive text chunks of one agent message that wait to be sent, as one report: the agent's text in order, the
 * sequence of the last chunk. An agent streams its answer a few characters per {@code session/update}; when chunks
 * come faster than the gateway acknowledges them, sending each alone would cost every hop (gateway, Kafka, chat,
 * the page) one event per few characters. Joined, the relay's cost follows the acknowledgements, not the agent's
 * chunk rate, and what the chat stores is the same text: every chunk once, in order.
 *
 * <p>Only chunks that differ in nothing but their text join: same command, task, agent session, kind (message or
 * thought), message id and every other field of the update, text content, consecutive sequences.
 */
final class TextRun {

    private static final Set<String> TEXT_KINDS = Set.of("agent_message_chunk", "agent_thought_chunk");

    private final AgentOutputReport first;
    private final StringBuilder text;
    private long lastSequence;
    private int chunks = 1;

    TextRun(AgentOutputReport first) {
        this.first = first;
        this.text = new StringBuilder(textOf(first));
        this.lastSequence = first.sequence();
    }

    /** Whether {@code report} is a text chunk that a run can start with. */
    static boolean isTextChunk(NodeMessage report) {
        if (!(report instanceof AgentOutputReport output) || !TEXT_KINDS.contains(output.kind())) {
            return false;
        }
        JsonNode content = output.update().path("content");
        return content.path("type").asText("").equals("text") && content.path("text").isTextual();
    }

    String taskId() {
        return first.taskId();
    }

    /** Characters of text joined so far. */
    int length() {
        return text.length();
    }

    /** Whether {@code next} continues this run and stays within {@code maxChars} of text. */
    boolean continuedBy(NodeMessage next, int maxChars) {
        if (!isTextChunk(next)) {
            return false;
        }
        AgentOutputReport output = (AgentOutputReport) next;
        return output.sequence() == lastSequence + 1
            && output.commandId().equals(first.commandId())
            && output.taskId().equals(first.taskId())
            && output.agentSessionId().equals(first.agentSessionId())
            && output.kind().equals(first.kind())
            && text.length() + textOf(output).length() <= maxChars
            && sameApartFromText(first.update(), output.update());
    }

    void add(AgentOutputReport next) {
        text.append(textOf(next));
        lastSequence = next.sequence();
        chunks++;
    }

    /**
     * The run as one report: the first chunk's update with the whole text, the first and the last chunk's
     * sequence.
     */
    AgentOutputReport report() {
        if (chunks == 1) {
            return first;
        }
        ObjectNode update = first.update().deepCopy();
        ((ObjectNode) update.path("content")).put("text", text.toString());
        return new AgentOutputReport(first.commandId(), first.taskId(), first.agentSessionId(), lastSequence,
            first.kind(), update, first.sequence());
    }

    private static String textOf(AgentOutputReport output) {
        return output.update().path("content").path("text").asText();
    }

    /** Equal updates but for {@code content.text}. */
    private static boolean sameApartFromText(JsonNode a, JsonNode b) {
        return withoutText(a).equals(withoutText(b));
    }

    private static JsonNode withoutText(JsonNode update) {
        ObjectNode copy = update.deepCopy();
        ((ObjectNode) copy.path("content")).remove("text");
        return copy;
    }
}
