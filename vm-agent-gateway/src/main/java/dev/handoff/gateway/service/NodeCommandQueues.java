package dev.handoff.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final AtomicInteger waiting = new AtomicInteger();

    /** Runs {@code work} once the node's earlier commands finished; completes as the work did. */
    public CompletionStage<Void> enqueue(String nodeId, Supplier<CompletionStage<Void>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiting.incrementAndGet();
        CompletableFuture<Void> previous = tails.put(nodeId, done);
        (previous == null ? IDLE : previous)
            .handle((v, failure) -> null)
            .thenCompose(v -> work.get())
            .whenComplete((v, failure) -> {
                waiting.decrementAndGet();
                tails.remove(nodeId, done);
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(null);
                }
            });
        return done;
    }

    /** Commands queued or under way (waiting for their node, its earlier commands or a reconnect). */
    public int waiting() {
        return waiting.get();
    }

    /** Nodes with commands queued or under way (for tests). */
    int busyNodes() {
        return tails.size();
    }
}
