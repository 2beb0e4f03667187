package dev.handoff.gateway.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's commands run in order, one at a time; a command stuck waiting for its node holds up no other node. */
class NodeCommandQueuesTest {

    private final NodeCommandQueues queues = new NodeCommandQueues();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void aCommandWaitingForItsNodeDoesNotDelayAnotherNodesCommands() {
        CompletableFuture<Void> waitingForA = new CompletableFuture<>();

        CompletionStage<Void> first = queues.enqueue("node-a", () -> {
            ran.add("a1");
            return waitingForA;
        });
        CompletionStage<Void> forB = queues.enqueue("node-b", () -> run("b1"));

        assertThat(forB.toCompletableFuture()).isDone();
        assertThat(first.toCompletableFuture()).isNotDone();
        assertThat(ran).containsExactly("a1", "b1");
    }

    @Test
    void aNodesNextCommandWaitsForItsEarlierOneEvenWhenThatFails() {
        CompletableFuture<Void> firstForA = new CompletableFuture<>();
        CompletionStage<Void> first = queues.enqueue("node-a", () -> {
            ran.add("a1");
            return firstForA;
        });
        CompletionStage<Void> second = queues.enqueue("node-a", () -> run("a2"));

        assertThat(ran).containsExactly("a1");
        firstForA.completeExceptionally(new IllegalStateException("not delivered"));

        assertThat(first.toCompletableFuture()).isCompletedExceptionally();
        assertThat(second.toCompletableFuture()).isCompleted().isNotCompletedExceptionally();
        assertThat(ran).containsExactly("a1", "a2");
        assertThat(queues.busyNodes()).as("idle queues are dropped").isZero();
    }

    private CompletionStage<Void> run(String name) {
        ran.add(name);
        return CompletableFuture.completedFuture(null);
    }
}
