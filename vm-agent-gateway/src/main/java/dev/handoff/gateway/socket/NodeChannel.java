package dev.handoff.gateway.socket;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.ServerWebSocket;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One node's WebSocket. Frames are handled one after the other, each after the previous one's work finished,
 * so the node's reports become events in the order the node sent them.
 */
public class NodeChannel {

    private final String id = UUID.randomUUID().toString();
    private final ServerWebSocket socket;
    private CompletionStage<Void> tail = CompletableFuture.completedFuture(null);
    private volatile String issuedSecretSha256;

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

    /** Runs {@code work} after all earlier work of this channel completed. Called on the socket's event loop. */
    synchronized void enqueue(Supplier<CompletionStage<Void>> work) {
        tail = tail.handle((v, failure) -> null).thenCompose(v -> work.get());
    }
}
