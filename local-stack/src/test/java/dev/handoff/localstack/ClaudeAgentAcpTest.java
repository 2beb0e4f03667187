package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Claude Code ACP adapter (agents/node_modules) against the fake Anthropic API. */
class ClaudeAgentAcpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeAnthropicServer fake;
    private Process agent;

    @AfterEach
    void cleanUp() {
        if (agent != null) {
            ManagedProcess.killTree(agent.toHandle());
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void realClaudeAgentWritesAFileAndStreamsTheReply() throws Exception {
        Path entry = repoRoot().resolve("agents/node_modules/@agentclientprotocol/claude-agent-acp/dist/index.js");
        assumeTrue(Files.exists(entry), "Claude agent not installed (run bin/install-agents): " + entry);

        fake = FakeAnthropicServer.start(new ScriptedReplies());
        Path home = Files.createDirectories(dir.resolve("home"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path work = Files.createDirectories(dir.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder("node", entry.toString()).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of(
                "PATH", System.getenv("PATH"),
                "HOME", home.toString(),
                "TMPDIR", tmp.toString(),
                "CLAUDE_CONFIG_DIR", home.resolve(".claude").toString(),
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                "DISABLE_TELEMETRY", "1",
                "DISABLE_ERROR_REPORTING", "1",
                "DISABLE_AUTOUPDATER", "1"));
        pb.environment().put("CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION", "false");
        pb.environment().putAll(LocalAgents.claudeCodeOnFakeModel(fake.url(), "test-key"));
        pb.redirectError(dir.resolve("agent-stderr.log").toFile());
        agent = pb.start();
        Acp acp = new Acp(agent);

        acp.call("initialize", JSON.readTree("""
                {"protocolVersion":1,"clientCapabilities":{"fs":{"readTextFile":false,"writeTextFile":false},"terminal":false},
                 "clientInfo":{"name":"local-stack-test","version":"0"}}"""));
        ObjectNode newSession = JSON.createObjectNode().put("cwd", work.toString());
        newSession.putArray("mcpServers");
        String sessionId = acp.call("session/new", newSession).path("sessionId").asText();
        assertThat(sessionId).isNotBlank();

        String prompt = "Create the greeting file [[write-file hello.txt hi]]";
        ObjectNode promptParams = JSON.createObjectNode().put("sessionId", sessionId);
        promptParams.putArray("prompt").addObject().put("type", "text").put("text", prompt);
        JsonNode result = acp.call("session/prompt", promptParams);
        assertThat(result.path("stopReason").asText()).isEqualTo("end_turn");

        // the fake got the prompt verbatim as a user text block
        assertThat(fake.messageRequests()).anySatisfy(r -> assertThat(r.body().path("messages").findValuesAsText("text")).contains(prompt));
        assertThat(fake.anyUserMessageContains(prompt)).isTrue();
        // the file the scripted tool_use asked for is really there
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(work.resolve("hello.txt")));
        assertThat(work.resolve("hello.txt")).hasContent("hi");
        // the streamed reply arrived as agent_message_chunk updates
        StringBuilder chunks = new StringBuilder();
        for (JsonNode n : acp.notifications) {
            JsonNode update = n.path("params").path("update");
            if ("session/update".equals(n.path("method").asText())
                    && "agent_message_chunk".equals(update.path("sessionUpdate").asText())
                    && update.path("messageId").isTextual()) {
                chunks.append(update.path("content").path("text").asText());
            }
        }
        assertThat(chunks.toString()).contains("Wrote hello.txt. HANDOFF-FAKE-REPLY: Create the greeting file");
        assertThat(acp.notifications).anySatisfy(n -> assertThat(n.path("params").path("update").path("sessionUpdate").asText())
                .isEqualTo("tool_call"));
    }

    /**
     * What Handoff's conversation is built on: in mode {@code default} the agent asks before it writes and waits for
     * the answer (the file is not there while it waits); a second session/prompt in the same session reaches the
     * model with the conversation so far; after the process is gone, a new one {@code session/load}s the session
     * (it advertises loadCapability) and replays its history as session/update before answering.
     */
    @Test
    void realClaudeAgentAsksInDefaultModeTakesAFollowUpAndLoadsItsSessionAfterARestart() throws Exception {
        Path entry = repoRoot().resolve("agents/node_modules/@agentclientprotocol/claude-agent-acp/dist/index.js");
        assumeTrue(Files.exists(entry), "Claude agent not installed (run bin/install-agents): " + entry);
        fake = FakeAnthropicServer.start(new ScriptedReplies());
        Path work = Files.createDirectories(dir.resolve("work"));
        agent = startAgent(entry, work);
        Acp acp = new Acp(agent);
        acp.holdPermissionRequests = true;
        JsonNode init = acp.call("initialize", JSON.readTree("""
                {"protocolVersion":1,"clientCapabilities":{"fs":{"readTextFile":false,"writeTextFile":false},"terminal":false},
                 "clientInfo":{"name":"local-stack-test","version":"0"}}"""));
        assertThat(init.path("agentCapabilities").path("loadSession").asBoolean()).isTrue();
        ObjectNode newSession = JSON.createObjectNode().put("cwd", work.toString());
        newSession.putArray("mcpServers");
        JsonNode opened = acp.call("session/new", newSession);
        String sessionId = opened.path("sessionId").asText();
        assertThat(opened.path("modes").path("currentModeId").asText()).isEqualTo("auto");
        acp.call("session/set_mode", JSON.createObjectNode().put("sessionId", sessionId).put("modeId", "default"));

        CompletableFuture<JsonNode> turn = acp.callAsync("session/prompt", prompt(sessionId,
                "Create the greeting file [[write-file asked.txt hi]]"));
        await().atMost(Duration.ofSeconds(60)).until(() -> !acp.heldPermissionRequests.isEmpty());
        JsonNode asked = acp.heldPermissionRequests.get(0);
        assertThat(asked.path("params").path("options").findValuesAsText("kind")).contains("allow_once", "reject_once");
        assertThat(work.resolve("asked.txt")).doesNotExist();
        acp.answerPermission(asked, "allow_once");
        assertThat(turn.get(60, TimeUnit.SECONDS).path("result").path("stopReason").asText()).isEqualTo("end_turn");
        assertThat(work.resolve("asked.txt")).hasContent("hi");

        JsonNode second = acp.call("session/prompt", prompt(sessionId, "FOLLOW-UP-ONE please"));
        assertThat(second.path("stopReason").asText()).isEqualTo("end_turn");
        assertThat(fake.anyUserMessageContains("FOLLOW-UP-ONE please")).isTrue();

        agent.getOutputStream().close();
        ManagedProcess.killTree(agent.toHandle());
        agent = startAgent(entry, work);
        Acp again = new Acp(agent);
        again.call("initialize", JSON.readTree("""
                {"protocolVersion":1,"clientCapabilities":{"fs":{"readTextFile":false,"writeTextFile":false},"terminal":false},
                 "clientInfo":{"name":"local-stack-test","version":"0"}}"""));
        ObjectNode load = JSON.createObjectNode().put("sessionId", sessionId).put("cwd", work.toString());
        load.putArray("mcpServers");
        JsonNode loaded = again.call("session/load", load);
        System.out.println("session/load result: " + loaded + "; replayed updates: " + again.notifications.size());
        assertThat(again.notifications).anySatisfy(n -> assertThat(n.toString()).contains("FOLLOW-UP-ONE"));
        JsonNode third = again.call("session/prompt", prompt(sessionId, "FOLLOW-UP-TWO after restart"));
        assertThat(third.path("stopReason").asText()).isEqualTo("end_turn");
        assertThat(fake.anyRequest(r -> r.body().toString().contains("FOLLOW-UP-ONE")
                && r.body().toString().contains("FOLLOW-UP-TWO"))).isTrue();
    }

    /**
     * A newcomer's first answer: with the built-in demo model and the agent set up as Handoff sets it up (the
     * agents file's environment and home files), the whole reply is the demo text, with no notice from Claude Code
     * about auto mode or a gateway at 127.0.0.1 beside it.
     */
    @Test
    void theDemoModelsAnswerIsExactlyTheDemoText() throws Exception {
        Path entry = repoRoot().resolve("agents/node_modules/@agentclientprotocol/claude-agent-acp/dist/index.js");
        assumeTrue(Files.exists(entry), "Claude agent not installed (run bin/install-agents): " + entry);
        fake = FakeAnthropicServer.start(new DemoReplies());
        Path work = Files.createDirectories(dir.resolve("work"));
        agent = startAgent(entry, work);
        Acp acp = new Acp(agent);
        acp.call("initialize", JSON.readTree("""
                {"protocolVersion":1,"clientCapabilities":{"fs":{"readTextFile":false,"writeTextFile":false},"terminal":false},
                 "clientInfo":{"name":"local-stack-test","version":"0"}}"""));
        ObjectNode newSession = JSON.createObjectNode().put("cwd", work.toString());
        newSession.putArray("mcpServers");
        String sessionId = acp.call("session/new", newSession).path("sessionId").asText();

        JsonNode result = acp.call("session/prompt", prompt(sessionId, "Explain this repository"));

        assertThat(result.path("stopReason").asText()).isEqualTo("end_turn");
        StringBuilder said = new StringBuilder();
        for (JsonNode n : acp.notifications) {
            JsonNode update = n.path("params").path("update");
            if ("agent_message_chunk".equals(update.path("sessionUpdate").asText())) {
                said.append(update.path("content").path("text").asText());
            }
        }
        assertThat(said.toString()).isEqualTo("This is Handoff's built-in demo model, not a real AI. You asked: "
                + "Explain this repository. Set ANTHROPIC_API_KEY to use Claude.");
    }

    private static ObjectNode prompt(String sessionId, String text) {
        ObjectNode params = JSON.createObjectNode().put("sessionId", sessionId);
        params.putArray("prompt").addObject().put("type", "text").put("text", text);
        return params;
    }

    private Process startAgent(Path entry, Path work) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ProcessBuilder pb = new ProcessBuilder("node", entry.toString()).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of(
                "PATH", System.getenv("PATH"),
                "HOME", home.toString(),
                "TMPDIR", tmp.toString(),
                "CLAUDE_CONFIG_DIR", home.resolve(".claude").toString(),
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                "DISABLE_TELEMETRY", "1",
                "DISABLE_ERROR_REPORTING", "1",
                "DISABLE_AUTOUPDATER", "1"));
        pb.environment().put("CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION", "false");
        pb.environment().putAll(LocalAgents.claudeCodeOnFakeModel(fake.url(), "test-key"));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("agent-stderr.log").toFile()));
        return pb.start();
    }

    static Path repoRoot() {
        String configured = System.getProperty("local-stack.repo-root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("agents"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }

    /** Minimal ACP (JSON-RPC over stdio, one message per line) client. */
    static final class Acp {
        final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
        final List<JsonNode> heldPermissionRequests = new CopyOnWriteArrayList<>();
        volatile boolean holdPermissionRequests;
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final OutputStream stdin;

        Acp(Process process) {
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(() -> read(process), "acp-reader");
            reader.setDaemon(true);
            reader.start();
        }

        JsonNode call(String method, JsonNode params) throws Exception {
            JsonNode response = callAsync(method, params).get(90, TimeUnit.SECONDS);
            assertThat(response.has("error")).as("%s failed: %s", method, response).isFalse();
            return response.path("result");
        }

        CompletableFuture<JsonNode> callAsync(String method, JsonNode params) throws IOException {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            ObjectNode msg = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            msg.set("params", params);
            send(msg);
            return answer;
        }

        void answerPermission(JsonNode request, String kind) throws IOException {
            String optionId = null;
            for (JsonNode option : request.path("params").path("options")) {
                if (kind.equals(option.path("kind").asText())) {
                    optionId = option.path("optionId").asText();
                }
            }
            ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
            reply.set("id", request.get("id"));
            reply.putObject("result").putObject("outcome").put("outcome", "selected").put("optionId", optionId);
            send(reply);
        }

        private synchronized void send(JsonNode msg) throws IOException {
            stdin.write((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        private void read(Process process) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode msg = JSON.readTree(line);
                    if (msg.has("method") && msg.has("id")) {
                        answerRequest(msg);
                    } else if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        notifications.add(msg);
                    }
                }
            } catch (IOException e) {
                pending.values().forEach(f -> f.completeExceptionally(e));
            }
            pending.values().forEach(f -> f.completeExceptionally(new IOException("agent closed stdout")));
        }

        private void answerRequest(JsonNode request) throws IOException {
            ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
            reply.set("id", request.get("id"));
            if ("session/request_permission".equals(request.path("method").asText()) && holdPermissionRequests) {
                heldPermissionRequests.add(request);
                return;
            }
            if ("session/request_permission".equals(request.path("method").asText())) {
                String optionId = "allow-once";
                for (JsonNode option : request.path("params").path("options")) {
                    if ("allow_once".equals(option.path("kind").asText())) {
                        optionId = option.path("optionId").asText();
                    }
                }
                reply.putObject("result").putObject("outcome").put("outcome", "selected").put("optionId", optionId);
            } else {
                reply.putObject("error").put("code", -32601).put("message", "not supported by this test client");
            }
            send(reply);
        }
    }
}
