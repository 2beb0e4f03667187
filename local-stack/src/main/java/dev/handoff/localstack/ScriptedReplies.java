package dev.handoff.localstack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic replies for tests.
 *
 * <ul>
 *   <li>A prompt containing {@code [[write-file NAME CONTENT]]} in a request that offers the
 *       {@code Write} tool: first a {@code tool_use} of Write with
 *       {@code {file_path: <agent working directory>/NAME, content: CONTENT}}; once the tool_result
 *       for it is back, the text {@code "Wrote NAME. " + <default reply>} (or {@code "Could not write
 *       NAME: <error>. " + <default reply>} when the tool failed).</li>
 *   <li>A prompt containing {@code [[write-big-file NAME KIB]]}: the same with a generated CONTENT of KIB KiB
 *       (numbered lines {@code "line 1 of a big file"}, ...), for tests of oversized tool call updates.</li>
 *   <li>A prompt containing {@code [[say TEXT]]}: exactly TEXT (markup and all; tests of how pages show it).</li>
 *   <li>A prompt containing {@code [[slow-reply N]]}: N numbered lines ({@code "Line 1 of N."}, ...) streamed
 *       {@value #SLOW_CHARS_PER_DELTA} characters per delta, {@value #SLOW_PAUSE_MILLIS} ms apart, so a test can
 *       act while the reply is still streaming.</li>
 *   <li>A prompt containing {@code [[fast-reply N]]}: the same N numbered lines, {@value #SLOW_CHARS_PER_DELTA}
 *       characters per delta with no pause: as many chunks as the pipeline takes (a long answer that the chat folds
 *       in well after the node sent it).</li>
 *   <li>Side requests (the session title, {@link MessagesRequest#sideRequest}): a short title from the prompt.</li>
 *   <li>Anything else: {@code "<prefix> <first 200 chars of the prompt>"}, prefix
 *       {@value #DEFAULT_PREFIX} unless configured.</li>
 * </ul>
 * NAME has no spaces; CONTENT is everything up to {@code ]]} (it may contain spaces). The working
 * directory comes from {@link MessagesRequest#workingDirectory()}.
 */
public final class ScriptedReplies implements ReplyScript {

    public static final String DEFAULT_PREFIX = "HANDOFF-FAKE-REPLY:";
    public static final Pattern WRITE_FILE = Pattern.compile("(?s)\\[\\[write-file\\s+(\\S+)\\s+(.*?)\\]\\]");
    public static final Pattern WRITE_BIG_FILE = Pattern.compile("\\[\\[write-big-file\\s+(\\S+)\\s+(\\d{1,5})\\]\\]");
    public static final Pattern SAY = Pattern.compile("(?s)\\[\\[say (.*?)\\]\\]");
    public static final Pattern SLOW_REPLY = Pattern.compile("\\[\\[slow-reply (\\d{1,4})\\]\\]");
    public static final Pattern FAST_REPLY = Pattern.compile("\\[\\[fast-reply (\\d{1,5})\\]\\]");
    static final int SLOW_CHARS_PER_DELTA = 6;
    static final int SLOW_PAUSE_MILLIS = 40;

    private final String prefix;

    public ScriptedReplies() {
        this(DEFAULT_PREFIX);
    }

    public ScriptedReplies(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** The text this script answers to a prompt without a marker. */
    public String defaultReply(String prompt) {
        return prefix + " " + Replies.snippet(prompt, 200);
    }

    @Override
    public Reply reply(MessagesRequest request) {
        String prompt = request.promptText();
        if (request.sideRequest()) {
            return Reply.text(Replies.title(prompt));
        }
        Matcher say = SAY.matcher(prompt);
        if (say.find()) {
            return Reply.text(say.group(1));
        }
        Matcher slow = SLOW_REPLY.matcher(prompt);
        if (slow.find()) {
            return Reply.text(slowReply(Integer.parseInt(slow.group(1))))
                    .paced(SLOW_CHARS_PER_DELTA, java.time.Duration.ofMillis(SLOW_PAUSE_MILLIS));
        }
        Matcher fast = FAST_REPLY.matcher(prompt);
        if (fast.find()) {
            return Reply.text(slowReply(Integer.parseInt(fast.group(1)))).paced(SLOW_CHARS_PER_DELTA, Duration.ZERO);
        }
        Matcher big = WRITE_BIG_FILE.matcher(prompt);
        if (big.find() && request.offersTool("Write")) {
            return write(request, prompt, big.group(1), bigFile(Integer.parseInt(big.group(2)) * 1024));
        }
        Matcher marker = WRITE_FILE.matcher(prompt);
        if (marker.find() && request.offersTool("Write")) {
            return write(request, prompt, marker.group(1), marker.group(2));
        }
        return Reply.text(defaultReply(prompt));
    }

    /** Writes {@code content} to {@code name} with the Write tool, then says so once the tool's result is back. */
    private Reply write(MessagesRequest request, String prompt, String name, String content) {
        List<MessagesRequest.ToolUseBlock> writes = request.toolUsesThisTurn().stream()
                .filter(u -> u.name().equals("Write") && u.input().path("file_path").asText().endsWith("/" + name))
                .toList();
        if (writes.isEmpty()) {
            Optional<String> cwd = request.workingDirectory();
            if (cwd.isEmpty()) {
                return Reply.text("Cannot write " + name + ": no working directory in the request. " + defaultReply(prompt));
            }
            ObjectNode input = FakeAnthropicServer.JSON.createObjectNode()
                    .put("file_path", join(cwd.get(), name))
                    .put("content", content);
            return Reply.toolUse("Write", input);
        }
        String id = writes.get(writes.size() - 1).id();
        Optional<MessagesRequest.ToolResultBlock> result = request.toolResultsThisTurn().stream()
                .filter(r -> r.toolUseId().equals(id)).findFirst();
        if (result.isPresent() && result.get().isError()) {
            return Reply.text("Could not write " + name + ": " + Replies.snippet(result.get().content(), 300)
                    + ". " + defaultReply(prompt));
        }
        return Reply.text("Wrote " + name + ". " + defaultReply(prompt));
    }

    /** Numbered lines, {@code chars} characters in all. */
    public static String bigFile(int chars) {
        StringBuilder text = new StringBuilder(chars + 32);
        for (int line = 1; text.length() < chars; line++) {
            text.append("line ").append(line).append(" of a big file\n");
        }
        text.setLength(chars);
        return text.toString();
    }

    /** The text of {@code [[slow-reply N]]}: lines "Line i of N." separated by newlines. */
    public static String slowReply(int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            text.append("Line ").append(i).append(" of ").append(lines).append('.').append(i < lines ? "\n\n" : "");
        }
        return text.toString();
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
