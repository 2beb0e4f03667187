package dev.handoff.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One queue per node: a node's commands run one after the other in the order they came (a workspace before the
 * agent start into it), while other nodes' commands go on. A command waiting for its node to reconnect therefore
 * delays only that node's later commands. An idle node's queue is dropped.
 */
@ApplicationScoped
public class NodeCommandQueues {

    private static final CompletableFuture<Void> IDLE = CompletableFuture.completedFuture(null);

    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /** Runs {@code work} once the node's earlier commands finished; completes as the work did. */
    public CompletionStage<Void> enqueue(String nodeId, Supplier<CompletionStage<Void>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(nodeId, done);
        (previous == null ? IDLE : previous)
            .handle((v, failure) -> null)
            .thenCompose(v -> work.get())
            .whenComplete((v, failure) -> {
                tails.remove(nodeId, done);
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(null);
                }
            });
        return done;
    }

    /** Nodes with commands queued or under way (for tests). */
    int busyNodes() {
        return tails.size();
    }
}
