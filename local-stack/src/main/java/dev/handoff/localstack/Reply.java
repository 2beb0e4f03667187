package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What the fake model answers: a text block and/or one tool_use block (text first).
 * A reply with a tool use ends with stop_reason {@code tool_use}, otherwise {@code end_turn}.
 */
public record Reply(String text, ToolUse toolUse) {

    /** A tool call the fake model makes, e.g. {@code Write} with {@code {file_path, content}}. */
    public record ToolUse(String name, JsonNode input) {
        public ToolUse {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(input, "input");
        }
    }

    public Reply {
        if ((text == null || text.isEmpty()) && toolUse == null) {
            throw new IllegalArgumentException("a reply needs text or a tool use");
        }
    }

    public static Reply text(String text) {
        return new Reply(text, null);
    }

    public static Reply toolUse(String name, JsonNode input) {
        return new Reply(null, new ToolUse(name, input));
    }

    public boolean hasText() {
        return text != null && !text.isEmpty();
    }
}
