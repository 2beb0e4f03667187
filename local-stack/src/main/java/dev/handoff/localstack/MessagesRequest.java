package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Read-only view of an Anthropic Messages API request body with helpers for reply scripts. */
public final class MessagesRequest {

    /** A tool_use block the assistant sent earlier in the conversation. */
    public record ToolUseBlock(String id, String name, JsonNode input) {}

    /** A tool_result block the client sent back. */
    public record ToolResultBlock(String toolUseId, String content, boolean isError) {}

    private static final Pattern WORKING_DIRECTORY =
            Pattern.compile("(?m)^\\s*(?:-\\s*)?(?:Primary working directory|Working directory):\\s*(\\S.*?)\\s*$");

    private static final Pattern SYSTEM_REMINDER = Pattern.compile("(?s)<system-reminder>.*?</system-reminder>");
    private static final Pattern SESSION = Pattern.compile("(?s)^<session>(.*?)</session>");

    private final JsonNode body;

    public MessagesRequest(JsonNode body) {
        this.body = body == null ? MissingNode.getInstance() : body;
    }

    public JsonNode body() {
        return body;
    }

    public String model() {
        return body.path("model").asText("claude-fake");
    }

    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    /** The system prompt as plain text (string form or the concatenated text blocks). */
    public String systemText() {
        return text(body.path("system"));
    }

    public List<String> toolNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            if (tool.hasNonNull("name")) {
                names.add(tool.get("name").asText());
            }
        }
        return names;
    }

    public boolean offersTool(String name) {
        return toolNames().contains(name);
    }

    public JsonNode messages() {
        return body.path("messages");
    }

    /**
     * Text of the last user message that carries text (messages that only return tool results are
     * skipped); empty when there is none.
     */
    public String lastUserText() {
        JsonNode messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asText())) {
                String t = text(m.path("content"));
                if (!t.isEmpty()) {
                    return t;
                }
            }
        }
        return "";
    }

    /** All text of all user messages (tool results excluded), newline separated. */
    public String allUserText() {
        StringBuilder sb = new StringBuilder();
        for (JsonNode m : messages()) {
            if ("user".equals(m.path("role").asText())) {
                String t = text(m.path("content"));
                if (!t.isEmpty()) {
                    sb.append(t).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** True when the last message is a user message made only of tool results. */
    public boolean lastMessageIsToolResult() {
        JsonNode messages = messages();
        if (messages.isEmpty()) {
            return false;
        }
        JsonNode last = messages.get(messages.size() - 1);
        if (!"user".equals(last.path("role").asText()) || !last.path("content").isArray()) {
            return false;
        }
        boolean any = false;
        for (JsonNode block : last.path("content")) {
            if ("tool_result".equals(block.path("type").asText())) {
                any = true;
            }
        }
        return any;
    }

    public List<ToolUseBlock> toolUses() {
        return toolUses(0);
    }

    private List<ToolUseBlock> toolUses(int from) {
        List<ToolUseBlock> uses = new ArrayList<>();
        JsonNode messages = messages();
        for (int i = Math.max(0, from); i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if ("assistant".equals(m.path("role").asText())) {
                for (JsonNode block : m.path("content")) {
                    if ("tool_use".equals(block.path("type").asText())) {
                        uses.add(new ToolUseBlock(block.path("id").asText(), block.path("name").asText(), block.path("input")));
                    }
                }
            }
        }
        return uses;
    }

    public List<ToolResultBlock> toolResults() {
        return toolResults(0);
    }

    private List<ToolResultBlock> toolResults(int from) {
        List<ToolResultBlock> results = new ArrayList<>();
        JsonNode messages = messages();
        for (int i = Math.max(0, from); i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asText())) {
                for (JsonNode block : m.path("content")) {
                    if ("tool_result".equals(block.path("type").asText())) {
                        results.add(new ToolResultBlock(
                                block.path("tool_use_id").asText(),
                                text(block.path("content")),
                                block.path("is_error").asBoolean(false)));
                    }
                }
            }
        }
        return results;
    }

    /**
     * The agent's working directory as the agent states it. Claude Code (claude-agent-acp 0.101.0)
     * sends it in a {@code "role": "system"} entry of {@code messages} ("# Environment ...
     * {@code  - Primary working directory: /abs/path}"); older versions put that line in the
     * top-level system prompt. Both places are searched.
     */
    public Optional<String> workingDirectory() {
        Matcher m = WORKING_DIRECTORY.matcher(systemText());
        if (m.find()) {
            return Optional.of(m.group(1));
        }
        for (JsonNode message : messages()) {
            m = WORKING_DIRECTORY.matcher(text(message.path("content")));
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * The JSON schema the client asked the reply to follow ({@code output_config.format} of type
     * {@code json_schema}, as Claude Code's session-title request does), if any.
     */
    public Optional<JsonNode> outputSchema() {
        JsonNode format = body.path("output_config").path("format");
        if ("json_schema".equals(format.path("type").asText()) && format.has("schema")) {
            return Optional.of(format.get("schema"));
        }
        return Optional.empty();
    }

    /**
     * A side request of the agent's rather than a turn of the conversation: a request for a JSON schema
     * ({@link #outputSchema()}), or Claude Code's session-title request ({@link #titleRequest()}).
     */
    public boolean sideRequest() {
        return outputSchema().isPresent() || titleRequest();
    }

    /**
     * Claude Code's request for the session's title. With structured outputs (an experimental beta) it names a JSON
     * schema; with its experimental betas off, as Handoff runs it against its fake models, it only asks in its system
     * prompt for JSON with a {@code title} field.
     */
    public boolean titleRequest() {
        return systemText().contains("You are naming a coding session");
    }

    /**
     * Index in {@link #messages()} of the user's latest prompt: the last user message with text
     * other than {@code <system-reminder>} blocks; -1 when there is none.
     */
    public int promptIndex() {
        JsonNode messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asText()) && !stripReminders(text(m.path("content"))).isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The user's latest prompt text without Claude Code's {@code <system-reminder>} blocks and with a
     * {@code <session>...</session>} wrapper (title requests) unwrapped; empty when there is none.
     */
    public String promptText() {
        int i = promptIndex();
        if (i < 0) {
            return "";
        }
        String t = stripReminders(text(messages().get(i).path("content")));
        Matcher session = SESSION.matcher(t);
        return session.find() ? session.group(1).strip() : t;
    }

    /** Tool uses the assistant made after the latest prompt (the current turn). */
    public List<ToolUseBlock> toolUsesThisTurn() {
        return toolUses(promptIndex() + 1);
    }

    /** Tool results sent back after the latest prompt (the current turn). */
    public List<ToolResultBlock> toolResultsThisTurn() {
        return toolResults(promptIndex() + 1);
    }

    static String stripReminders(String s) {
        return SYSTEM_REMINDER.matcher(s).replaceAll("").strip();
    }

    /** Text of a content value: a string, or the text of the text blocks of an array. */
    static String text(JsonNode content) {
        if (content == null || content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode block : content) {
                if (block.isTextual()) {
                    append(sb, block.asText());
                } else if ("text".equals(block.path("type").asText())) {
                    append(sb, block.path("text").asText());
                }
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String s) {
        if (s.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(s);
    }
}
