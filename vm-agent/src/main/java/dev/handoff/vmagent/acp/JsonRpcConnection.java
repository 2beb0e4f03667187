package dev.handoff.vmagent.acp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JSON-RPC 2.0 over a pair of streams, one JSON object per line, UTF-8.
 *
 * <p>One reader thread reads every incoming line and handles it before reading the next, so notifications and
 * responses are seen in exactly the order the peer wrote them; completions of {@link #request} futures run on
 * that thread too. The peer's requests are answered when the handler's future completes, on whichever thread
 * completes it, so an answer that waits (for a user) never holds the reader. Writes from any thread are
 * serialized and flushed.
 */
public final class JsonRpcConnection implements AutoCloseable {

    /** What to do with the peer's notifications and requests. Called on the reader thread. */
    public interface Handler {

        void onNotification(String method, JsonNode params);

        /**
         * Must not block: return at once and complete the future when the answer is known (possibly later, from
         * another thread). Throw {@link JsonRpcException}, or complete exceptionally with it, to answer an error.
         *
         * @return completes with the result to answer
         */
        CompletableFuture<JsonNode> onRequest(String method, JsonNode params) throws JsonRpcException;
    }

    private static final Logger LOG = Logger.getLogger(JsonRpcConnection.class.getName());
    private static final int MAX_LOGGED_LINE = 200;

    /**
     * The longest line read from the agent: an ACP message is one line, and a tool call with a large diff can run to
     * megabytes, but a line longer than this is skipped (and logged) rather than held.
     */
    static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

    private final BoundedLineReader input;
    private final OutputStream output;
    private final Handler handler;
    private final Thread reader;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile boolean closed;

    public JsonRpcConnection(InputStream input, OutputStream output, Handler handler, String name) {
        this.input = new BoundedLineReader(new InputStreamReader(input, StandardCharsets.UTF_8), MAX_LINE_CHARS,
            chars -> LOG.log(Level.WARNING, "skipped a line from the agent of {0} characters, over the limit of {1}",
                new Object[] {chars, MAX_LINE_CHARS}));
        this.output = output;
        this.handler = handler;
        this.reader = new Thread(this::readUntilClosed, name + "-reader");
        this.reader.setDaemon(true);
    }

    public void start() {
        reader.start();
    }

    /**
     * Sends a request. When this returns, the request is written and flushed.
     *
     * @return completes with the result, or exceptionally with {@link JsonRpcException} (error response) or
     *     {@link ConnectionClosedException}
     */
    public CompletableFuture<JsonNode> request(String method, JsonNode params) throws IOException {
        long id = nextId.getAndIncrement();
        var response = new CompletableFuture<JsonNode>();
        pending.put(id, response);
        if (closed) {
            failPending();
        }
        ObjectNode message = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        message.set("params", params);
        try {
            write(message);
        } catch (IOException e) {
            pending.remove(id);
            throw e;
        }
        return response;
    }

    /** Sends a notification (no id, no answer). When this returns, it is written and flushed. */
    public void notify(String method, JsonNode params) throws IOException {
        if (closed) {
            throw new IOException("the connection to the agent is closed");
        }
        ObjectNode message = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        message.set("params", params);
        write(message);
    }

    @Override
    public void close() {
        closed = true;
        try {
            output.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the peer's input failed", e);
        }
        failPending();
    }

    private synchronized void write(ObjectNode message) throws IOException {
        byte[] line = Json.MAPPER.writeValueAsBytes(message);
        output.write(line);
        output.write('\n');
        output.flush();
    }

    private void readUntilClosed() {
        try {
            String line;
            while ((line = input.readLine()) != null) {
                handleLine(line);
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.log(Level.WARNING, "reading from the agent failed: {0}", e.getMessage());
            }
        } finally {
            closed = true;
            failPending();
        }
    }

    private void failPending() {
        for (Long id : pending.keySet()) {
            CompletableFuture<JsonNode> response = pending.remove(id);
            if (response != null) {
                response.completeExceptionally(new ConnectionClosedException("the agent closed its output"));
            }
        }
    }

    private void handleLine(String line) {
        if (line.isBlank()) {
            return;
        }
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            LOG.log(Level.WARNING, "skipping a line from the agent that is not a JSON object: {0}", abbreviate(line));
            return;
        }
        JsonNode method = message.get("method");
        JsonNode id = message.get("id");
        if (method != null && id != null) {
            answerRequest(id, method.asText(), message.path("params"));
        } else if (method != null) {
            try {
                handler.onNotification(method.asText(), message.path("params"));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "handling notification " + method.asText() + " failed", e);
            }
        } else if (id != null) {
            completeRequest(id, message);
        } else {
            LOG.log(Level.WARNING, "skipping a JSON-RPC message without method or id: {0}", abbreviate(line));
        }
    }

    private void answerRequest(JsonNode id, String method, JsonNode params) {
        CompletableFuture<JsonNode> result;
        try {
            result = handler.onRequest(method, params);
        } catch (JsonRpcException | RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((value, failure) -> writeAnswer(id, method, value, failure));
    }

    private void writeAnswer(JsonNode id, String method, JsonNode result, Throwable failure) {
        ObjectNode answer = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", id);
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (cause == null) {
            answer.set("result", result == null ? NullNode.getInstance() : result);
        } else if (cause instanceof JsonRpcException e) {
            answer.putObject("error").put("code", e.code()).put("message", e.getMessage());
        } else {
            LOG.log(Level.SEVERE, "handling request " + method + " failed", cause);
            answer.putObject("error").put("code", JsonRpcException.INTERNAL_ERROR).put("message", "internal error");
        }
        if (closed) {
            LOG.log(Level.FINE, "not answering the agent''s {0} request: the connection is closed", method);
            return;
        }
        try {
            write(answer);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot answer the agent''s {0} request: {1}", new Object[] {method, e.getMessage()});
        }
    }

    private void completeRequest(JsonNode id, JsonNode message) {
        CompletableFuture<JsonNode> response = id.canConvertToLong() ? pending.remove(id.asLong()) : null;
        if (response == null) {
            LOG.log(Level.WARNING, "skipping a response to unknown request id {0}", id);
            return;
        }
        JsonNode error = message.get("error");
        if (error != null && !error.isNull()) {
            response.completeExceptionally(new JsonRpcException(error.path("code").asInt(JsonRpcException.INTERNAL_ERROR),
                error.path("message").asText("no message")));
        } else {
            response.complete(message.path("result"));
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= MAX_LOGGED_LINE ? line : line.substring(0, MAX_LOGGED_LINE) + "...";
    }
}
