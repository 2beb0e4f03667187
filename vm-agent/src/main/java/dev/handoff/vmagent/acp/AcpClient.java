package dev.handoff.vmagent.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client side of the Agent Client Protocol over an agent's stdio. It advertises no file system and no
 * terminal, so agent requests other than {@code session/request_permission} are answered "method not found".
 */
public final class AcpClient implements AutoCloseable {

    public static final int PROTOCOL_VERSION = 1;

    /** Receives what the agent sends on its own. Called on the connection's single reader thread, in order. */
    public interface Listener {

        /** One {@code session/update} notification: {@code update} is the {@code params.update} object. */
        void onSessionUpdate(String sessionId, JsonNode update);

        /**
         * A {@code session/request_permission}. Must not block the reader: return a future and complete it when the
         * answer is known (at once by a policy, or later when a user answers).
         *
         * @return completes with the optionId to select, or with null to answer cancelled
         */
        CompletableFuture<String> onPermissionRequest(JsonNode request);
    }

    private static final Logger LOG = Logger.getLogger(AcpClient.class.getName());

    private final JsonRpcConnection connection;

    private AcpClient(InputStream agentStdout, OutputStream agentStdin, Listener listener, String name) {
        this.connection = new JsonRpcConnection(agentStdout, agentStdin, new AgentRequests(listener), name);
    }

    /** Starts reading the agent's stdout. */
    public static AcpClient connect(InputStream agentStdout, OutputStream agentStdin, Listener listener, String name) {
        var client = new AcpClient(agentStdout, agentStdin, listener, name);
        client.connection.start();
        return client;
    }

    /** Sends {@code initialize} and waits for its result. */
    public JsonNode initialize(String clientName, String clientVersion, Duration timeout)
        throws AcpException, InterruptedException {
        ObjectNode params = Json.MAPPER.createObjectNode().put("protocolVersion", PROTOCOL_VERSION);
        ObjectNode capabilities = params.putObject("clientCapabilities");
        capabilities.putObject("fs").put("readTextFile", false).put("writeTextFile", false);
        capabilities.put("terminal", false);
        capabilities.set("_meta", SessionFailures.capabilityMeta());
        params.putObject("clientInfo").put("name", clientName).put("version", clientVersion);
        return await("initialize", send("initialize", params), timeout);
    }

    /** Sends {@code session/new} for {@code cwd} and returns the new session's id. */
    public String newSession(Path cwd, Duration timeout) throws AcpException, InterruptedException {
        ObjectNode params = Json.MAPPER.createObjectNode().put("cwd", cwd.toAbsolutePath().toString());
        params.putArray("mcpServers");
        JsonNode result = await("session/new", send("session/new", params), timeout);
        String sessionId = result.path("sessionId").textValue();
        if (sessionId == null || sessionId.isEmpty()) {
            throw new AcpException("session/new answered without a sessionId", null);
        }
        return sessionId;
    }

    /**
     * Sends {@code session/load} for an earlier session of this agent in {@code cwd}. The agent replays the
     * session's history as {@code session/update} notifications before it answers.
     */
    public JsonNode loadSession(String sessionId, Path cwd, Duration timeout) throws AcpException, InterruptedException {
        ObjectNode params = Json.MAPPER.createObjectNode().put("sessionId", sessionId)
            .put("cwd", cwd.toAbsolutePath().toString());
        params.putArray("mcpServers");
        return await("session/load", send("session/load", params), timeout);
    }

    /** Sends {@code session/set_mode}: e.g. {@code default}, in which the Claude agent asks before it acts. */
    public void setMode(String sessionId, String modeId, Duration timeout) throws AcpException, InterruptedException {
        await("session/set_mode", send("session/set_mode", Json.MAPPER.createObjectNode()
            .put("sessionId", sessionId).put("modeId", modeId)), timeout);
    }

    /** Whether the agent's {@code initialize} result advertises {@code agentCapabilities.loadSession}. */
    public static boolean canLoadSession(JsonNode initializeResult) {
        return initializeResult.path("agentCapabilities").path("loadSession").asBoolean(false);
    }

    /**
     * Sends {@code session/prompt} with one text block. When this returns, the prompt is written to the agent's
     * stdin and flushed; the turn runs on.
     *
     * @return completes with the stop reason when the turn ends, or exceptionally with {@link JsonRpcException}
     *     or {@link ConnectionClosedException}
     */
    public CompletableFuture<String> sendPrompt(String sessionId, String text) throws AcpException {
        ObjectNode params = Json.MAPPER.createObjectNode().put("sessionId", sessionId);
        params.putArray("prompt").addObject().put("type", "text").put("text", text);
        return send("session/prompt", params).thenApply(AcpClient::stopReasonOrFailure);
    }

    /**
     * The turn's stop reason; a result that reports the agent gave up on the model ({@link SessionFailures}: an
     * {@code error} in its {@code _meta}) fails the turn with the agent's reason, as a JSON-RPC error would.
     */
    static String stopReasonOrFailure(JsonNode result) {
        Optional<SessionFailures.Failure> failure = SessionFailures.in(result).filter(SessionFailures.Failure::isError);
        if (failure.isPresent()) {
            throw new CompletionException(new JsonRpcException(JsonRpcException.INTERNAL_ERROR, failure.get().title()));
        }
        return result.path("stopReason").asText("unknown");
    }

    /**
     * Sends the {@code session/cancel} notification: the agent should stop the turn and answer the pending
     * {@code session/prompt} with stopReason {@code cancelled}.
     */
    public void cancelSession(String sessionId) throws AcpException {
        try {
            connection.notify("session/cancel", Json.MAPPER.createObjectNode().put("sessionId", sessionId));
        } catch (IOException e) {
            throw new AcpException("cannot write session/cancel to the agent's stdin: " + e.getMessage(), e);
        }
    }

    /** Closes the agent's stdin; the reader stops when the agent closes its stdout. */
    @Override
    public void close() {
        connection.close();
    }

    private CompletableFuture<JsonNode> send(String method, ObjectNode params) throws AcpException {
        try {
            return connection.request(method, params);
        } catch (IOException e) {
            throw new AcpException("cannot write " + method + " to the agent's stdin: " + e.getMessage(), e);
        }
    }

    private static JsonNode await(String method, CompletableFuture<JsonNode> response, Duration timeout)
        throws AcpException, InterruptedException {
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AcpException("the agent did not answer " + method + " within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new AcpException(describeFailure(method, e.getCause()), e.getCause());
        }
    }

    /** A readable reason for a failed request: the agent's error message, or that it went away. */
    public static String describeFailure(String method, Throwable failure) {
        if (failure instanceof JsonRpcException error) {
            return "the agent answered " + method + " with error " + error.code() + ": " + error.getMessage();
        }
        if (failure instanceof ConnectionClosedException) {
            return "the agent closed its output before answering " + method;
        }
        return method + " failed: " + failure;
    }

    /** Routes the agent's notifications and requests. */
    private static final class AgentRequests implements JsonRpcConnection.Handler {
        private final Listener listener;

        AgentRequests(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onNotification(String method, JsonNode params) {
            if (!"session/update".equals(method)) {
                LOG.log(Level.FINE, "ignoring agent notification {0}", method);
                return;
            }
            JsonNode update = params.get("update");
            if (update == null || !update.isObject()) {
                LOG.warning("ignoring a session/update without an update object");
                return;
            }
            listener.onSessionUpdate(params.path("sessionId").textValue(), update);
        }

        @Override
        public CompletableFuture<JsonNode> onRequest(String method, JsonNode params) throws JsonRpcException {
            if (!"session/request_permission".equals(method)) {
                LOG.log(Level.INFO, "answering the agent''s {0} request with method not found", method);
                throw new JsonRpcException(JsonRpcException.METHOD_NOT_FOUND, "method not found: " + method);
            }
            return listener.onPermissionRequest(params).thenApply(optionId -> {
                ObjectNode result = Json.MAPPER.createObjectNode();
                if (optionId == null) {
                    result.putObject("outcome").put("outcome", "cancelled");
                } else {
                    result.putObject("outcome").put("outcome", "selected").put("optionId", optionId);
                }
                return result;
            });
        }
    }
}
