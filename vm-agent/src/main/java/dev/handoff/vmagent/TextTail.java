package dev.handoff.vmagent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log, for failure reasons: what a person needs to see why a child process failed. */
public final class TextTail {

    private static final int MAX_READ_BYTES = 64 * 1024;
    private static final int MAX_CHARS = 2000;

    private TextTail() {
    }

    /** The last {@code lines} non-blank lines of {@code text}, trimmed and joined with " | ". */
    public static String lastLines(String text, int lines) {
        List<String> nonBlank = Arrays.stream(text.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        String tail = String.join(" | ", nonBlank.subList(Math.max(0, nonBlank.size() - lines), nonBlank.size()));
        return tail.length() <= MAX_CHARS ? tail : "..." + tail.substring(tail.length() - MAX_CHARS);
    }

    /** Like {@link #lastLines(String, int)} for the end of a file; empty when the file is missing or unreadable. */
    public static String lastLinesOf(Path file, int lines) {
        return lastLinesOf(file, null, lines);
    }

    /** Like {@link #lastLinesOf(Path, int)}, but only what follows the last line starting with {@code marker}. */
    public static String lastLinesOf(Path file, String marker, int lines) {
        try (var channel = Files.newByteChannel(file)) {
            long size = channel.size();
            channel.position(Math.max(0, size - MAX_READ_BYTES));
            var buffer = ByteBuffer.allocate((int) Math.min(size, MAX_READ_BYTES));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            int markerAt = marker == null ? -1 : text.lastIndexOf(marker);
            if (markerAt >= 0) {
                int lineEnd = text.indexOf('\n', markerAt);
                text = lineEnd < 0 ? "" : text.substring(lineEnd + 1);
            }
            return lastLines(text, lines);
        } catch (IOException e) {
            return "";
        }
    }
}
