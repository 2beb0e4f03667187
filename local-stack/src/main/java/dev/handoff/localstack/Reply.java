package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;

/**
 * What the fake model answers: a text block and/or one tool_use block (text first).
 * A reply with a tool use ends with stop_reason {@code tool_use}, otherwise {@code end_turn}.
 * Streamed, the text goes out in deltas of {@code charsPerDelta} characters (0: the server's default), with
 * {@code deltaPause} between them (null: none), so a test can act while a long reply is still streaming.
 */
public record Reply(String text, ToolUse toolUse, int charsPerDelta, Duration deltaPause) {

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
        if (charsPerDelta < 0) {
            throw new IllegalArgumentException("charsPerDelta must be 0 (default) or positive");
        }
    }

    public Reply(String text, ToolUse toolUse) {
        this(text, toolUse, 0, null);
    }

    /** This reply with its text streamed {@code charsPerDelta} characters per delta, {@code pause} apart. */
    public Reply paced(int charsPerDelta, Duration pause) {
        return new Reply(text, toolUse, charsPerDelta, pause);
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
