package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;

/**
 * A fake ACP agent, run as a real separate process by the tests: {@code FakeAcpAgent <mode> <recordDir>}.
 *
 * <p>Records into recordDir: {@code starts.txt} (one pid per start), {@code env.json} (its environment),
 * {@code cwd.txt}, {@code prompts.txt} (one JSON string per prompt received), {@code permission.json} (the
 * client's answer to its permission request), {@code fs-answer.json} (the answer to an fs request),
 * {@code cancels.txt} (one session id per session/cancel received), {@code child.txt} (the pid of the child it
 * started in the busy modes), {@code modes.txt} (one mode id per session/set_mode), {@code loads.txt} (one session
 * id per session/load; it replays one user and one agent message first).
 *
 * <p>It advertises loadSession unless the mode ends in {@code -no-load} (the rest of the mode applies).
 *
 * <p>Modes: {@code normal}; {@code hang-on-session-new} (never answers session/new); {@code exit-at-start}
 * (writes to stderr, exits 5); {@code exit-mid-turn} (one update, then exits 7); {@code busy-until-cancelled}
 * (one update, starts a long-lived child process, answers the prompt only on session/cancel, with stopReason
 * cancelled); {@code ignores-cancel} (like busy-until-cancelled, but never answers the prompt).
 */
public final class FakeAcpAgent {

    public static final String SESSION_ID = "fake-session-1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String mode;
    private final Path recordDir;
    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private JsonNode pendingPromptId;

    private final boolean canLoad;

    private FakeAcpAgent(String mode, Path recordDir) {
        this.canLoad = !mode.endsWith("-no-load");
        this.mode = mode.replace("-no-load", "");
        this.recordDir = recordDir;
    }

    public static void main(String[] args) throws IOException {
        new FakeAcpAgent(args[0], Path.of(args[1])).run();
    }

    private void run() throws IOException {
        append("starts.txt", ProcessHandle.current().pid() + "\n");
        Files.writeString(recordDir.resolve("env.json"), JSON.writeValueAsString(new TreeMap<>(System.getenv())));
        Files.writeString(recordDir.resolve("cwd.txt"), Path.of("").toAbsolutePath().toString());
        System.err.println("fake agent: starting in mode " + mode);
        if (mode.equals("exit-at-start")) {
            System.err.println("fake agent: cannot start, missing credentials");
            System.exit(5);
        }
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode message = JSON.readTree(line);
            String method = message.path("method").asText();
            JsonNode id = message.get("id");
            switch (method) {
                case "initialize" -> {
                    ObjectNode result = JSON.createObjectNode().put("protocolVersion", 1);
                    result.putObject("agentCapabilities").put("loadSession", canLoad);
                    respond(id, result);
                }
                case "session/set_mode" -> {
                    append("modes.txt", message.path("params").path("modeId").asText() + "\n");
                    respond(id, JSON.createObjectNode());
                }
                case "session/load" -> {
                    append("loads.txt", message.path("params").path("sessionId").asText() + "\n");
                    ObjectNode replayedUser = JSON.createObjectNode().put("sessionUpdate", "user_message_chunk");
                    replayedUser.putObject("content").put("type", "text").put("text", "an earlier prompt");
                    update(replayedUser);
                    update(chunk("an earlier answer"));
                    respond(id, JSON.createObjectNode());
                }
                case "session/new" -> {
                    if (!mode.equals("hang-on-session-new")) {
                        respond(id, JSON.createObjectNode().put("sessionId", SESSION_ID));
                        update(JSON.createObjectNode().put("sessionUpdate", "available_commands_update")
                            .set("availableCommands", JSON.createArrayNode()));
                    }
                }
                case "session/prompt" -> prompt(id, message.path("params"));
                case "session/cancel" -> cancel(message.path("params"));
                default -> System.err.println("fake agent: ignoring " + line);
            }
        }
    }

    private void prompt(JsonNode id, JsonNode params) throws IOException {
        append("prompts.txt", JSON.writeValueAsString(params.path("prompt").path(0).path("text").asText()) + "\n");
        update(chunk("Hello"));
        if (mode.equals("busy-until-cancelled") || mode.equals("ignores-cancel")) {
            Process child = new ProcessBuilder("sleep", "600").start();
            Files.writeString(recordDir.resolve("child.txt"), Long.toString(child.pid()));
            pendingPromptId = id;
            return;
        }
        if (mode.equals("exit-mid-turn")) {
            System.err.println("fake agent: crashed mid-turn");
            System.exit(7);
        }
        if (mode.equals("hang-mid-turn")) {
            System.err.println("fake agent: thinking forever");
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        out.println("this line is not JSON");
        ObjectNode toolCall = JSON.createObjectNode().put("sessionUpdate", "tool_call").put("toolCallId", "call-1")
            .put("title", "Write hello.txt").put("kind", "edit").put("status", "pending");
        update(toolCall);

        ObjectNode permission = JSON.createObjectNode().put("sessionId", SESSION_ID);
        permission.putObject("toolCall").put("toolCallId", "call-1").put("title", "Write hello.txt");
        var options = permission.putArray("options");
        options.addObject().put("optionId", "always").put("name", "Always allow").put("kind", "allow_always");
        options.addObject().put("optionId", "once").put("name", "Allow").put("kind", "allow_once");
        options.addObject().put("optionId", "no").put("name", "Reject").put("kind", "reject_once");
        Files.writeString(recordDir.resolve("permission.json"), request("perm-1", "session/request_permission",
            permission).toString());

        ObjectNode read = JSON.createObjectNode().put("sessionId", SESSION_ID).put("path", "/etc/hostname");
        Files.writeString(recordDir.resolve("fs-answer.json"), request("fs-1", "fs/read_text_file", read).toString());

        update(JSON.createObjectNode().put("sessionUpdate", "tool_call_update").put("toolCallId", "call-1")
            .put("status", "completed"));
        update(JSON.createObjectNode().put("sessionUpdate", "brand_new_kind").put("detail", 42));
        respond(id, JSON.createObjectNode().put("stopReason", "end_turn"));
    }

    private void cancel(JsonNode params) throws IOException {
        append("cancels.txt", params.path("sessionId").asText() + "\n");
        if (mode.equals("busy-until-cancelled") && pendingPromptId != null) {
            update(chunk("Stopping."));
            respond(pendingPromptId, JSON.createObjectNode().put("stopReason", "cancelled"));
            pendingPromptId = null;
        }
    }

    /** Sends a request to the client and reads until its answer arrives. */
    private JsonNode request(String id, String method, JsonNode params) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        request.set("params", params);
        out.println(request);
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode message = JSON.readTree(line);
            if (id.equals(message.path("id").asText()) && !message.has("method")) {
                return message;
            }
            if ("session/cancel".equals(message.path("method").asText())) {
                append("cancels.txt", message.path("params").path("sessionId").asText() + "\n");
                continue;
            }
            System.err.println("fake agent: unexpected while waiting for " + id + ": " + line);
        }
        throw new IOException("stdin closed while waiting for " + id);
    }

    private ObjectNode chunk(String text) {
        ObjectNode update = JSON.createObjectNode().put("sessionUpdate", "agent_message_chunk");
        update.putObject("content").put("type", "text").put("text", text);
        return update;
    }

    private void update(ObjectNode update) {
        ObjectNode notification = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "session/update");
        notification.putObject("params").put("sessionId", SESSION_ID).set("update", update);
        out.println(notification);
    }

    private void respond(JsonNode id, JsonNode result) {
        ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        out.println(response);
    }

    private void append(String file, String text) throws IOException {
        Files.writeString(recordDir.resolve(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    }
}
