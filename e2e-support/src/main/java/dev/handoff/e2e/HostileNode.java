package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A "node" spoken by the test itself on the gateway's real WebSocket, as an attacker holding a genuine node token
 * (from {@code POST /api/nodes/attach}) would: it says hello, then sends whatever numbered reports it likes, and
 * records every frame the gateway answers.
 */
final class HostileNode implements AutoCloseable {

    private final WebSocket socket;
    /** Every frame the gateway sent, as JSON (read loosely: a refusal need not be a type this build knows). */
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JsonNode> firstAnswer = new CompletableFuture<>();
    /** The gateway's close: its status code and reason, as {@code "1008 reason"}. */
    private final CompletableFuture<String> closedByGateway = new CompletableFuture<>();
    private final String stream = UUID.randomUUID().toString();
    private long number;

    private HostileNode(String gatewayUrl) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(gatewayUrl), new WebSocket.Listener() {
                private final StringBuilder frame = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    frame.append(data);
                    if (last) {
                        JsonNode message = read(frame.toString());
                        frame.setLength(0);
                        received.add(message);
                        firstAnswer.complete(message);
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                    closedByGateway.complete(statusCode + " " + reason);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
    }

    /** Dials the gateway and says hello with the node's one-time token; returns once welcomed. */
    static HostileNode attach(String gatewayUrl, String nodeId, String token) throws Exception {
        HostileNode node = new HostileNode(gatewayUrl);
        node.socket.sendText(NodeProtocol.encode(new NodeMessage.Hello(nodeId, token, null, "hostile", "0")), true)
            .get(10, TimeUnit.SECONDS);
        JsonNode answer = node.firstAnswer.get(20, TimeUnit.SECONDS);
        if (!answer.path("type").asText().equals("welcome")) {
            node.close();
            throw new IllegalStateException("not welcomed: " + answer);
        }
        return node;
    }

    /** Sends {@code report} as the next numbered report of this node's stream; returns its number. */
    long report(NodeMessage report) throws Exception {
        long next = ++number;
        socket.sendText(NodeProtocol.encode(new NodeMessage.NumberedReport(stream, next, report)), true)
            .get(10, TimeUnit.SECONDS);
        return next;
    }

    /** Sends an unnumbered frame (a heartbeat). */
    void send(NodeMessage message) throws Exception {
        socket.sendText(NodeProtocol.encode(message), true).get(10, TimeUnit.SECONDS);
    }

    /** The highest number the gateway acknowledged, 0 before any. */
    long ackedUpTo() {
        return ofType("ack").stream().filter(ack -> ack.path("stream").asText().equals(stream))
            .mapToLong(ack -> ack.path("upTo").asLong()).max().orElse(0);
    }

    /** The gateway's {@code report_refused} frames for this node's reports. */
    List<JsonNode> refusals() {
        return ofType("report_refused");
    }

    /** The frames of one type the gateway sent, in order. */
    List<JsonNode> ofType(String type) {
        return received.stream().filter(frame -> frame.path("type").asText().equals(type)).toList();
    }

    private static JsonNode read(String frame) {
        try {
            return Json.MAPPER.readTree(frame);
        } catch (Exception e) {
            throw new IllegalStateException("the gateway sent a frame that is not JSON: " + frame, e);
        }
    }

    /** The status and reason the gateway closed this connection with ({@code "1008 reason"}), once it did. */
    CompletableFuture<String> closedByGateway() {
        return closedByGateway;
    }

    boolean isOpen() {
        return !socket.isInputClosed();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
