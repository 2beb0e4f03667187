package dev.handoff.gateway.socket;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.ServerWebSocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One node's WebSocket. Frames are handled one after the other, each after the previous one's work finished,
 * so the node's reports become events in the order the node sent them; frames that arrive while earlier work runs
 * are kept ({@link #hold}) and handled together next.
 */
public class NodeChannel {

    private final String id = UUID.randomUUID().toString();
    private final ServerWebSocket socket;
    private CompletionStage<Void> tail = CompletableFuture.completedFuture(null);
    private volatile String issuedSecretSha256;
    /** Frames read and not handled yet, in arrival order. */
    private List<String> held = new ArrayList<>();
    private volatile boolean spoke;
    /** When the last frame came ({@link System#nanoTime}); the connection's opening before any. */
    private volatile long lastHeardNanos = System.nanoTime();
    /** Why the gateway closed this connection, when it did ({@link #close(short, String)}). */
    private volatile String closedBecause;
    private volatile boolean silent;

    NodeChannel(ServerWebSocket socket) {
        this.socket = socket;
    }

    public String id() {
        return id;
    }

    public boolean isOpen() {
        return !socket.isClosed();
    }

    public Uni<Void> sendText(String frame) {
        return Uni.createFrom().completionStage(() -> socket.writeTextMessage(frame).toCompletionStage());
    }

    public Uni<Void> close() {
        return Uni.createFrom().completionStage(() -> socket.close().toCompletionStage());
    }

    /** Closes with a WebSocket status and reason the node sees (e.g. 1008, policy violation). */
    void close(short status, String reason) {
        closedBecause = reason;
        socket.close(status, reason);
    }

    /** Closes as {@link #close(short, String)}, for the node's silence ({@link #closedForSilence}). */
    void closeForSilence(short status, String reason) {
        silent = true;
        close(status, reason);
    }

    /** Whether the gateway closed this connection because the node fell silent. */
    boolean closedForSilence() {
        return silent;
    }

    /** The reason this connection was closed with by the gateway, or null (the node closed it, or the network). */
    String closedBecause() {
        return closedBecause;
    }

    /** How long since the last frame came (since the connection opened, before any). */
    Duration silence() {
        return Duration.ofNanos(System.nanoTime() - lastHeardNanos);
    }

    /** Whether any frame came on this connection (the first must be the hello). */
    boolean hasSpoken() {
        return spoke;
    }

    /** The Welcome on this connection gave the node the reconnect secret with this hash. */
    void secretIssued(String sha256) {
        issuedSecretSha256 = sha256;
    }

    /** The hash of the secret issued on this connection, once: the first frame after the Welcome confirms it. */
    synchronized String takeSecretToConfirm() {
        String issued = issuedSecretSha256;
        issuedSecretSha256 = null;
        return issued;
    }

    /**
     * Keeps a frame until the channel's work gets to it; true when it is the first one kept since the last
     * {@link #takeHeld}, so the caller enqueues the work that will take it (and every frame kept until then).
     */
    synchronized boolean hold(String frame) {
        spoke = true;
        lastHeardNanos = System.nanoTime();
        held.add(frame);
        return held.size() == 1;
    }

    /** The frames kept since the last call, in arrival order. */
    synchronized List<String> takeHeld() {
        List<String> frames = held;
        held = new ArrayList<>();
        return frames;
    }

    /** Runs {@code work} after all earlier work of this channel completed. Called on the socket's event loop. */
    synchronized void enqueue(Supplier<CompletionStage<Void>> work) {
        tail = tail.handle((v, failure) -> null).thenCompose(v -> work.get());
    }
}
