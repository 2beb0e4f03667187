package dev.handoff.bench.node;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a simulated agent streams for one prompt: {@code chunks} agent_message_chunk updates at {@code perSecond}.
 * Read from the task's description, {@code "stream <chunks> chunks at <perSecond>/s"}; any other prompt gets one
 * short chunk. Chunk {@code i} (from 1) is {@link #text(long)}: fixed width, so a reader can tell from the text
 * alone which chunks it holds.
 */
public record OutputPlan(long chunks, double perSecond) {

    /** The width of every chunk's text. */
    public static final int CHUNK_WIDTH = 8;

    private static final Pattern SPEC = Pattern.compile("stream (\\d+) chunks at (\\d+(?:\\.\\d+)?)/s");

    public OutputPlan {
        if (chunks < 1 || chunks > 9_999_999) {
            throw new IllegalArgumentException("chunks must be 1..9999999, got " + chunks);
        }
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive, got " + perSecond);
        }
    }

    /** The description that makes a simulated node stream this plan. */
    public String description() {
        return "stream " + chunks + " chunks at " + (long) perSecond + "/s";
    }

    /** The plan a prompt asks for; one chunk, at once, for a prompt that names none. */
    public static OutputPlan of(String prompt) {
        Matcher m = SPEC.matcher(prompt == null ? "" : prompt);
        return m.find() ? new OutputPlan(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)))
            : new OutputPlan(1, 1000);
    }

    /** The text of chunk {@code index} (from 1): its number, zero-padded, and a space. */
    public static String text(long index) {
        return String.format("%07d ", index);
    }

    /** How many whole chunks {@code content} (the chunks' texts concatenated from chunk 1) holds. */
    public static long chunksIn(String content) {
        return content == null ? 0 : content.length() / CHUNK_WIDTH;
    }
}
