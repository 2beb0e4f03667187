package dev.handoff.vmagent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.NumberedReport;
import dev.handoff.contracts.node.NodeMessage.PermissionRequestedReport;
import dev.handoff.contracts.node.NodeProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Fits a numbered report under the gateway's frame limit, so an oversized one (a huge diff in a tool call update,
 * a big file's content in a permission request) can never close the connection and stall the report stream. The
 * longest strings in the report's JSON ({@code update} of agent output, {@code toolCall} of a permission request)
 * are cut, each ending in a note the user sees in the chat: {@value #NOTE_START} ... The report keeps its
 * type, ids and sequence. Reports without JSON to cut are returned as they are.
 */
public final class ReportFitter {

    /** How a shortened string ends. */
    static final String NOTE_START = "\n… [Handoff shortened this output";

    private ReportFitter() {
    }

    /** Encoded UTF-8 size of {@code report} as number {@code number} of {@code stream}. */
    public static int frameBytes(String stream, long number, NodeMessage report) {
        return frame(stream, number, report).getBytes(StandardCharsets.UTF_8).length;
    }

    public static String frame(String stream, long number, NodeMessage report) {
        return NodeProtocol.encode(new NumberedReport(stream, number, report));
    }

    /** {@code report} itself when its frame fits in {@code maxFrameBytes}; otherwise a shortened copy that fits. */
    public static NodeMessage fit(String stream, long number, NodeMessage report, int maxFrameBytes) {
        int bytes = frameBytes(stream, number, report);
        if (bytes <= maxFrameBytes) {
            return report;
        }
        if (report instanceof AgentOutputReport output && output.update() != null) {
            JsonNode update = output.update().deepCopy();
            shorten(update, bytes, maxFrameBytes, shortened -> frameBytes(stream, number,
                new AgentOutputReport(output.commandId(), output.taskId(), output.agentSessionId(), output.sequence(),
                    output.kind(), shortened, output.firstSequence())));
            AgentOutputReport shortened = new AgentOutputReport(output.commandId(), output.taskId(),
                output.agentSessionId(), output.sequence(), output.kind(), update, output.firstSequence());
            if (frameBytes(stream, number, shortened) <= maxFrameBytes) {
                return shortened;
            }
            // Too many small strings to cut: only the update's identity and the note stay.
            return new AgentOutputReport(output.commandId(), output.taskId(), output.agentSessionId(),
                output.sequence(), output.kind(), noteOnly(output.update(), bytes, maxFrameBytes), output.firstSequence());
        }
        if (report instanceof PermissionRequestedReport asked && asked.toolCall() != null) {
            JsonNode toolCall = asked.toolCall().deepCopy();
            shorten(toolCall, bytes, maxFrameBytes, shortened -> frameBytes(stream, number,
                new PermissionRequestedReport(asked.commandId(), asked.taskId(), asked.deliveryId(),
                    asked.agentSessionId(), asked.requestId(), shortened, asked.options())));
            return new PermissionRequestedReport(asked.commandId(), asked.taskId(), asked.deliveryId(),
                asked.agentSessionId(), asked.requestId(), toolCall, asked.options());
        }
        return report;
    }

    /** A place in the JSON tree holding a string: its parent and how to replace it. */
    private record Text(String value, Consumer<String> replace) {
    }

    /**
     * Cuts the longest strings of {@code root} (in place) until {@code measure} says the frame fits, each cut one
     * ending in the note.
     */
    private static void shorten(JsonNode root, int bytes, int maxFrameBytes, ToIntFunction<JsonNode> measure) {
        int size = bytes;
        for (int round = 0; size > maxFrameBytes && round < 64; round++) {
            List<Text> texts = new ArrayList<>();
            collect(root, texts);
            Text longest = texts.stream().filter(t -> !t.value().contains(NOTE_START))
                .max(Comparator.comparingInt(t -> t.value().length())).orElse(null);
            if (longest == null) {
                return;
            }
            String value = longest.value();
            // Every char is at least one byte encoded: cutting the excess (and room for the note) in chars frees at
            // least as many bytes. A string shorter than that is cut whole and the next longest follows.
            int excess = size - maxFrameBytes;
            String note = note(value.length(), maxFrameBytes);
            int keep = Math.max(0, value.length() - excess - note.length() - 16);
            if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) {
                keep--;
            }
            longest.replace().accept(value.substring(0, keep) + note(value.length() - keep, maxFrameBytes));
            size = measure.applyAsInt(root);
        }
    }

    /** The update's kind, tool call id and status, and the note as its content. */
    static JsonNode noteOnly(JsonNode update, int bytes, int maxFrameBytes) {
        ObjectNode kept = dev.handoff.contracts.Json.MAPPER.createObjectNode();
        for (String field : List.of("sessionUpdate", "toolCallId", "status", "title", "kind")) {
            if (update.hasNonNull(field) && update.get(field).isValueNode()) {
                kept.set(field, update.get(field));
            }
        }
        String text = NOTE_START + ": the whole update (" + bytes + " bytes) was left out to fit the node "
            + "connection's frame limit of " + (maxFrameBytes / 1024) + " KiB]";
        String kind = update.path("sessionUpdate").asText();
        if (kind.startsWith("tool_call")) {
            kept.putArray("content").addObject().put("type", "content").putObject("content").put("type", "text")
                .put("text", text);
        } else {
            kept.putObject("content").put("type", "text").put("text", text);
        }
        return kept;
    }

    private static String note(int leftOut, int maxFrameBytes) {
        return NOTE_START + ": " + leftOut + " characters left out to fit the node connection's frame limit of "
            + (maxFrameBytes / 1024) + " KiB]";
    }

    private static void collect(JsonNode node, List<Text> texts) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = object.get(name);
                if (child.isTextual()) {
                    texts.add(new Text(child.asText(), replacement -> object.set(name, TextNode.valueOf(replacement))));
                } else {
                    collect(child, texts);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                int index = i;
                if (child.isTextual()) {
                    texts.add(new Text(child.asText(), replacement -> array.set(index, TextNode.valueOf(replacement))));
                } else {
                    collect(child, texts);
                }
            }
        }
    }
}
