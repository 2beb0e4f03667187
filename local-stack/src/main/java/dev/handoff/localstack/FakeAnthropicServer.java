package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A fake Anthropic Messages API on 127.0.0.1 speaking the real wire format.
 *
 * <ul>
 *   <li>{@code POST /v1/messages} (any query, e.g. {@code ?beta=true}): with {@code "stream": true} a
 *       {@code text/event-stream} of message_start, ping, content_block_start/delta/stop,
 *       message_delta, message_stop; otherwise one JSON message. The content comes from the
 *       {@link ReplyScript}.</li>
 *   <li>A request with {@code output_config.format} {@code json_schema} (Claude Code's session
 *       title) gets a text block with JSON following the schema, strings set to the script's text.</li>
 *   <li>{@code POST /v1/messages/count_tokens}: {@code {"input_tokens": n}}.</li>
 *   <li>{@code GET /v1/models}: one fake model; any other path: {@code 200 {}}.</li>
 * </ul>
 * Every request is recorded (thread-safe) without credential headers.
 */
public final class FakeAnthropicServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int DELTA_CHUNK = 24;

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    /** SHA-256 (hex) of every x-api-key received: a test can tell a key was used without it being kept. */
    private final java.util.Set<String> apiKeyDigests = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile ReplyScript script;
    private volatile Consumer<RecordedRequest> listener = r -> {};

    private FakeAnthropicServer(int port, ReplyScript script) throws IOException {
        this.script = Objects.requireNonNull(script, "script");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-anthropic");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a random free port. */
    public static FakeAnthropicServer start(ReplyScript script) {
        return start(0, script);
    }

    /** Starts on the given port (0: a random free port). */
    public static FakeAnthropicServer start(int port, ReplyScript script) {
        try {
            return new FakeAnthropicServer(port, script);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Anthropic server on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL for {@code ANTHROPIC_BASE_URL}, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public void setScript(ReplyScript script) {
        this.script = Objects.requireNonNull(script, "script");
    }

    /** Called (on the server's thread) for every request right after it is recorded. */
    public void setRequestListener(Consumer<RecordedRequest> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Only the {@code POST /v1/messages} requests. */
    public List<RecordedRequest> messageRequests() {
        return requests.stream().filter(RecordedRequest::isMessages).toList();
    }

    public boolean anyRequest(Predicate<RecordedRequest> predicate) {
        return requests.stream().anyMatch(predicate);
    }

    /** True when some Messages request has a user message whose text contains {@code text}. */
    public boolean anyUserMessageContains(String text) {
        return requests.stream()
                .filter(RecordedRequest::isMessages)
                .anyMatch(r -> r.messages().allUserText().contains(text));
    }

    /** Whether some request carried {@code apiKey} as its x-api-key header. */
    public boolean sawApiKey(String apiKey) {
        return apiKeyDigests.contains(sha256(apiKey));
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath();
            String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode body = null;
            if (!raw.isBlank()) {
                try {
                    body = JSON.readTree(raw);
                } catch (IOException notJson) {
                    body = null;
                }
            }
            RecordedRequest recorded = new RecordedRequest(Instant.now(), method, path,
                    exchange.getRequestURI().getRawQuery(), headersWithoutCredentials(exchange), raw, body);
            String apiKey = exchange.getRequestHeaders().getFirst("x-api-key");
            if (apiKey != null) {
                apiKeyDigests.add(sha256(apiKey));
            }
            requests.add(recorded);
            listener.accept(recorded);

            if (path.startsWith("/v1/messages/count_tokens")) {
                sendJson(exchange, 200, JSON.createObjectNode().put("input_tokens", estimateTokens(raw)));
            } else if (path.startsWith("/v1/messages") && "POST".equals(method)) {
                messages(exchange, new MessagesRequest(body), raw);
            } else if (path.startsWith("/v1/models")) {
                ObjectNode model = JSON.createObjectNode()
                        .put("type", "model").put("id", "claude-fake").put("display_name", "Handoff fake model")
                        .put("created_at", "2025-01-01T00:00:00Z");
                ObjectNode list = JSON.createObjectNode();
                list.putArray("data").add(model);
                list.put("has_more", false).put("first_id", "claude-fake").put("last_id", "claude-fake");
                sendJson(exchange, 200, path.equals("/v1/models") ? list : model);
            } else {
                sendJson(exchange, 200, JSON.createObjectNode());
            }
        } catch (RuntimeException e) {
            // never leave the client hanging on a script bug: answer like the real API does
            ObjectNode error = JSON.createObjectNode().put("type", "error");
            error.putObject("error").put("type", "api_error").put("message", "fake server: " + e);
            try {
                sendJson(exchange, 500, error);
            } catch (IOException | RuntimeException ignored) {
                // headers already sent
            }
        }
    }

    private void messages(HttpExchange exchange, MessagesRequest request, String raw) throws IOException {
        Reply reply = script.reply(request);
        if (request.outputSchema().isPresent() && reply.toolUse() == null) {
            // structured output: the text block must be JSON following the schema
            reply = Reply.text(JSON.writeValueAsString(conforming(request.outputSchema().get(), reply.text())));
        } else if (request.titleRequest() && reply.toolUse() == null) {
            // the title request without a schema asks in words for JSON with a "title" field
            reply = Reply.text(JSON.writeValueAsString(JSON.createObjectNode().put("title", reply.text())));
        }
        String messageId = "msg_fake" + String.format("%017d", ids.incrementAndGet());
        int inputTokens = estimateTokens(raw);
        int outputTokens = Math.max(1, estimateTokens((reply.text() == null ? "" : reply.text())
                + (reply.toolUse() == null ? "" : reply.toolUse().input().toString())));
        String stopReason = reply.toolUse() != null ? "tool_use" : "end_turn";
        List<ObjectNode> blocks = contentBlocks(reply);

        if (!request.stream()) {
            ObjectNode message = message(messageId, request.model());
            ArrayNode content = message.putArray("content");
            blocks.forEach(content::add);
            message.put("stop_reason", stopReason);
            message.set("usage", usage(inputTokens, outputTokens));
            sendJson(exchange, 200, message);
            return;
        }

        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("request-id", "req_fake" + messageId.substring(8));
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();

        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = message(messageId, request.model());
        message.putArray("content");
        message.putNull("stop_reason");
        message.set("usage", usage(inputTokens, 1));
        start.set("message", message);
        event(out, "message_start", start);
        event(out, "ping", JSON.createObjectNode().put("type", "ping"));

        for (int index = 0; index < blocks.size(); index++) {
            ObjectNode block = blocks.get(index);
            boolean isText = "text".equals(block.get("type").asText());
            ObjectNode initial = block.deepCopy();
            String full;
            if (isText) {
                full = block.get("text").asText();
                initial.put("text", "");
            } else {
                full = JSON.writeValueAsString(block.get("input"));
                initial.putObject("input");
            }
            event(out, "content_block_start", JSON.createObjectNode()
                    .put("type", "content_block_start").put("index", index).set("content_block", initial));
            boolean paced = isText && reply.deltaPause() != null && !reply.deltaPause().isZero();
            boolean first = true;
            int deltaSize = isText && reply.charsPerDelta() > 0 ? reply.charsPerDelta() : DELTA_CHUNK;
            for (String piece : chunks(full, deltaSize)) {
                if (paced && !first) {
                    pause(reply.deltaPause());
                }
                first = false;
                ObjectNode delta = JSON.createObjectNode();
                if (isText) {
                    delta.put("type", "text_delta").put("text", piece);
                } else {
                    delta.put("type", "input_json_delta").put("partial_json", piece);
                }
                event(out, "content_block_delta", JSON.createObjectNode()
                        .put("type", "content_block_delta").put("index", index).set("delta", delta));
            }
            event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
        }

        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", outputTokens);
        event(out, "message_delta", messageDelta);
        event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        out.close();
    }

    private List<ObjectNode> contentBlocks(Reply reply) {
        List<ObjectNode> blocks = new ArrayList<>();
        if (reply.hasText()) {
            blocks.add(JSON.createObjectNode().put("type", "text").put("text", reply.text()));
        }
        if (reply.toolUse() != null) {
            String id = "toolu_fake" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", id)
                    .put("name", reply.toolUse().name());
            block.set("input", reply.toolUse().input());
            blocks.add(block);
        }
        return blocks;
    }

    /** A value following a (simple) JSON schema, with every string set to {@code text}. */
    static JsonNode conforming(JsonNode schema, String text) {
        String type = schema.path("type").isArray() ? schema.path("type").path(0).asText() : schema.path("type").asText();
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        switch (type) {
            case "object" -> {
                ObjectNode node = JSON.createObjectNode();
                schema.path("properties").fields().forEachRemaining(e -> node.set(e.getKey(), conforming(e.getValue(), text)));
                return node;
            }
            case "array" -> {
                return JSON.createArrayNode();
            }
            case "integer", "number" -> {
                return JSON.getNodeFactory().numberNode(0);
            }
            case "boolean" -> {
                return JSON.getNodeFactory().booleanNode(false);
            }
            case "null" -> {
                return JSON.getNodeFactory().nullNode();
            }
            default -> {
                return JSON.getNodeFactory().textNode(text);
            }
        }
    }

    private static ObjectNode message(String id, String model) {
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        message.putNull("stop_sequence");
        return message;
    }

    private static ObjectNode usage(int input, int output) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("input_tokens", input)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0)
                .put("output_tokens", output)
                .put("service_tier", "standard");
        return usage;
    }

    /** Paces a streamed reply ({@link Reply#paced}): the fake model "typing", not a test waiting. */
    private static void pause(java.time.Duration pause) throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while streaming", e);
        }
    }

    private static List<String> chunks(String s, int size) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int end = Math.min(s.length(), i + size);
            if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
                end++;
            }
            out.add(s.substring(i, end));
            i = end;
        }
        return out;
    }

    private static void event(OutputStream out, String name, JsonNode data) throws IOException {
        out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static int estimateTokens(String s) {
        return Math.max(1, s.length() / 4);
    }

    private static Map<String, List<String>> headersWithoutCredentials(HttpExchange exchange) {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (!key.equals("x-api-key") && !key.equals("authorization") && !key.equals("proxy-authorization")) {
                headers.put(key, List.copyOf(v));
            }
        });
        return Collections.unmodifiableMap(headers);
    }
}
