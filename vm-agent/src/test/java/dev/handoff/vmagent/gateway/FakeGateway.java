package dev.handoff.vmagent.gateway;

import static org.awaitility.Awaitility.await;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.Hello;
import dev.handoff.contracts.node.NodeProtocol;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A gateway stand-in on a random local port. Connections are numbered from 0 in the order they open; frames
 * are recorded per connection, numbered reports as the report they carry (their numbers in {@link #numbered}).
 * Each numbered report is acknowledged at once unless {@link #holdAcks} was called. By default the test answers
 * Hellos itself; {@link #answerHellosWith} automates it.
 */
public final class FakeGateway extends WebSocketServer implements AutoCloseable {

    /** One frame a node sent. */
    public record Frame(int connection, NodeMessage message) {
    }

    private final List<WebSocket> connections = new ArrayList<>();
    private final List<Frame> frames = new ArrayList<>();
    private final List<String> userAgents = new ArrayList<>();
    private final List<NumberedFrame> numbered = new ArrayList<>();
    private volatile Function<Hello, NodeMessage> helloAnswer;
    private volatile boolean acking = true;
    private volatile int readsUpToBytes = Integer.MAX_VALUE;
    private volatile boolean started;

    private FakeGateway() {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
    }

    public static FakeGateway startOnRandomPort() {
        var gateway = new FakeGateway();
        gateway.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.started);
        return gateway;
    }

    public URI url() {
        return URI.create("ws://127.0.0.1:" + getPort() + NodeProtocol.PATH);
    }

    /** One numbered report a node sent. */
    public record NumberedFrame(int connection, long number, NodeMessage report) {
    }

    /** From now on numbered reports are not acknowledged automatically; see {@link #send} with an Ack. */
    public void holdAcks() {
        this.acking = false;
    }

    /**
     * From now on a frame over {@code bytes} (UTF-8) closes its connection with 1009 before it is read, as a real
     * gateway (or a proxy in front of it) does.
     */
    public void readFramesUpTo(int bytes) {
        this.readsUpToBytes = bytes;
    }

    /** The numbered reports received, in arrival order. */
    public synchronized List<NumberedFrame> numbered() {
        return List.copyOf(numbered);
    }

    /** From now on every Hello is answered with {@code answer.apply(hello)}. */
    public void answerHellosWith(Function<Hello, NodeMessage> answer) {
        this.helloAnswer = answer;
    }

    public synchronized void send(int connection, NodeMessage message) {
        connections.get(connection).send(NodeProtocol.encode(message));
    }

    /** Closes the connection from the gateway's side. */
    public synchronized void disconnect(int connection) {
        connections.get(connection).close(1001, "gateway going away");
    }

    public synchronized int connectionCount() {
        return connections.size();
    }

    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    public synchronized List<NodeMessage> messagesOn(int connection) {
        return frames.stream().filter(f -> f.connection() == connection).map(Frame::message).toList();
    }

    public synchronized List<String> userAgents() {
        return List.copyOf(userAgents);
    }

    @Override
    public void close() throws InterruptedException {
        stop(1000);
    }

    @Override
    public void onStart() {
        started = true;
    }

    @Override
    public synchronized void onOpen(WebSocket conn, ClientHandshake handshake) {
        conn.setAttachment(connections.size());
        connections.add(conn);
        userAgents.add(handshake.getFieldValue("User-Agent"));
    }

    @Override
    public void onMessage(WebSocket conn, String text) {
        if (conn.isClosing() || conn.isClosed()) {
            return; // a real gateway reads nothing after its close
        }
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > readsUpToBytes) {
            conn.close(1009, "message too big");
            return;
        }
        NodeMessage message = NodeProtocol.decode(text);
        int connection = conn.<Integer>getAttachment();
        if (message instanceof NodeMessage.NumberedReport numberedReport) {
            synchronized (this) {
                numbered.add(new NumberedFrame(connection, numberedReport.number(), numberedReport.report()));
                frames.add(new Frame(connection, numberedReport.report()));
            }
            if (acking) {
                conn.send(NodeProtocol.encode(new NodeMessage.Ack(numberedReport.stream(), numberedReport.number())));
            }
            return;
        }
        synchronized (this) {
            frames.add(new Frame(connection, message));
        }
        Function<Hello, NodeMessage> answer = helloAnswer;
        if (message instanceof Hello hello && answer != null) {
            NodeMessage reply = answer.apply(hello);
            conn.send(NodeProtocol.encode(reply));
            if (reply instanceof NodeMessage.Refused) {
                conn.close(1008, "refused");
            }
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }
}
