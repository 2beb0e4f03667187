package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The common part of the fake model APIs for agents other than Claude ({@link FakeOpenAiServer},
 * {@link FakeGeminiServer}): an HTTP server on 127.0.0.1 that records every request (credential header values
 * replaced by {@value #REDACTED}, so a test can see a key was sent without keeping it) and answers with the reply
 * {@link #replyTo(String)}: {@value #REPLY_PREFIX} followed by the prompt text.
 */
public abstract class FakeModelServer implements AutoCloseable {

    /** Starts every reply, so tests find the fake's answer in what the agent streams back. */
    public static final String REPLY_PREFIX = "HANDOFF-FAKE-REPLY: ";
    static final String REDACTED = "<redacted>";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "x-api-key", "x-goog-api-key",
        "proxy-authorization");

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    protected FakeModelServer(int port, String threadName) {
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + threadName + " on port " + port, e);
        }
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handleRecorded);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL without a path, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** True when some request's body contains {@code text} (as JSON text, so quotes and newlines are escaped). */
    public boolean anyRequestContains(String text) {
        String escaped;
        try {
            escaped = JSON.writeValueAsString(text);
            escaped = escaped.substring(1, escaped.length() - 1);
        } catch (IOException e) {
            escaped = text;
        }
        String needle = escaped;
        return requests.stream().anyMatch(r -> r.rawBody() != null && r.rawBody().contains(needle));
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The reply text for a prompt: {@value #REPLY_PREFIX} and the prompt's first 200 characters. */
    public static String replyTo(String prompt) {
        String text = prompt == null ? "" : prompt.strip();
        return REPLY_PREFIX + (text.length() > 200 ? text.substring(0, 200) : text);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Answers one recorded request; {@code body} is null when the body is empty or not JSON. */
    protected abstract void handle(HttpExchange exchange, String method, String path, JsonNode body)
        throws IOException;

    private void handleRecorded(HttpExchange exchange) throws IOException {
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
            requests.add(new RecordedRequest(Instant.now(), method, path, exchange.getRequestURI().getRawQuery(),
                redactedHeaders(exchange), raw, body));
            handle(exchange, method, path, body);
        } catch (RuntimeException e) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("code", 500).put("message", "fake server: " + e).put("status", "INTERNAL");
            try {
                sendJson(exchange, 500, error);
            } catch (IOException | RuntimeException ignored) {
                // headers already sent
            }
        }
    }

    protected static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Starts a {@code text/event-stream} response. */
    protected static OutputStream startEventStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    /** One server-sent event; {@code name} null for a data-only event. */
    protected static void event(OutputStream out, String name, JsonNode data) throws IOException {
        String frame = (name == null ? "" : "event: " + name + "\n") + "data: " + JSON.writeValueAsString(data)
            + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A value following a simple JSON schema (any case of type names), every string set to {@code text}. */
    protected static JsonNode conforming(JsonNode schema, String text) {
        JsonNode typeNode = schema.path("type").isArray() ? schema.path("type").path(0) : schema.path("type");
        String type = typeNode.asText().toLowerCase(Locale.ROOT);
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        switch (type) {
            case "object" -> {
                ObjectNode node = JSON.createObjectNode();
                schema.path("properties").fields().forEachRemaining(e -> node.set(e.getKey(),
                    conforming(e.getValue(), text)));
                return node;
            }
            case "array" -> {
                return JSON.createArrayNode();
            }
            case "integer", "number" -> {
                return JSON.getNodeFactory().numberNode(1);
            }
            case "boolean" -> {
                return JSON.getNodeFactory().booleanNode(false);
            }
            default -> {
                return JSON.getNodeFactory().textNode(text);
            }
        }
    }

    protected static int estimateTokens(String s) {
        return Math.max(1, s == null ? 1 : s.length() / 4);
    }

    private static Map<String, List<String>> redactedHeaders(HttpExchange exchange) {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            headers.put(key, CREDENTIAL_HEADERS.contains(key) ? List.of(REDACTED) : List.copyOf(v));
        });
        return Collections.unmodifiableMap(headers);
    }
}
