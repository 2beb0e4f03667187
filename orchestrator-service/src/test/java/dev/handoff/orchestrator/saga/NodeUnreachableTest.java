package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.events.FailureKinds;
import dev.handoff.contracts.events.NodeFailed;
import dev.handoff.contracts.events.NodeReady;
import dev.handoff.contracts.events.NodeRequested;
import dev.handoff.contracts.events.TaskCreated;
import dev.handoff.contracts.events.TaskFailed;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.events.WorkspaceReady;
import dev.handoff.contracts.events.WorkspaceRequested;
import dev.handoff.contracts.vocabulary.TaskStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given a command the gateway could not get to the task's node (node_unreachable), expect a request for another
 * node that avoids the ones tried, at once; after the attempts, or when no other node can be had, the task fails
 * with the reason.
 */
class NodeUnreachableTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final String GONE = "node node-a is not connected to the gateway and did not reconnect within "
        + "30 seconds";

    private final AtomicInteger deliveries = new AtomicInteger();
    private final TaskSaga saga = new TaskSaga(() -> "delivery-" + deliveries.incrementAndGet(),
        new RetryPolicy(3, Duration.ofSeconds(4), Duration.ofSeconds(30), 0.5), Clock.fixed(NOW, ZoneOffset.UTC),
        () -> 0.0);
    private final TaskCreated created = new TaskCreated("p1", "s1", "http://git.example/app.git", "main",
        "claude-code", "Fix it", "user-1", null);

    @Test
    void anUndeliverableWorkspaceRequestAsksForAnotherNodeAvoidingTheGoneOne() {
        SagaState creating = creatingOn("node-a");

        Decision decision = saga.on(creating, unreachable(), "node-a");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.PROVISIONING_NODE);
        assertThat(decision.next().placement().nodeId()).isNull();
        assertThat(decision.next().placement().avoidedNodes()).containsExactly("node-a");
        assertThat(decision.outgoing()).containsExactly(new NodeRequested("claude-code", "small", "user-1",
            List.of("node-a")));
        assertThat(decision.statusReason()).isEqualTo(GONE + "; trying another node (attempt 2 of 3)");
        assertThat(decision.retryAttempt()).isEqualTo(2);
    }

    @Test
    void theOtherNodeGetsTheWorkspaceAndALateReportOfTheGoneNodeIsIgnored() {
        SagaState again = saga.on(creatingOn("node-a"), unreachable(), "node-a").next();

        Decision ready = saga.on(again, new NodeReady("attached", true), "node-b");

        assertThat(ready.next().placement().nodeId()).isEqualTo("node-b");
        assertThat(ready.next().status()).isEqualTo(TaskStatus.CREATING_WORKSPACE);
        assertThat(ready.outgoing()).containsExactly(new WorkspaceRequested("ws-t1", "http://git.example/app.git",
            "main"));
        assertThat(saga.on(again, new WorkspaceReady("ws-t1", "/w"), "node-a").ignored()).isTrue();
    }

    @Test
    void anUndeliverableAgentStartAlsoMovesToAnotherNode() {
        SagaState starting = saga.on(creatingOn("node-a"), new WorkspaceReady("ws-t1", "/w"), "node-a").next();

        Decision decision = saga.on(starting, new AgentFailed(starting.placement().deliveryId(), GONE, true,
            FailureKinds.NODE_UNREACHABLE), "node-a");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.PROVISIONING_NODE);
        assertThat(decision.outgoing()).containsExactly(new NodeRequested("claude-code", "small", "user-1",
            List.of("node-a")));
    }

    @Test
    void afterTheLastAttemptTheTaskFailsNamingHowManyNodesItTried() {
        SagaState state = creatingOn("node-a");
        state = saga.on(state, unreachable(), "node-a").next();
        state = saga.on(state, new NodeReady("attached", true), "node-b").next();
        state = saga.on(state, unreachable(), "node-b").next();
        assertThat(state.placement().avoidedNodes()).containsExactly("node-a", "node-b");
        state = saga.on(state, new NodeReady("attached", true), "node-c").next();

        Decision decision = saga.on(state, unreachable(), "node-c");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(decision.outgoing()).containsExactly(new TaskFailed("workspace",
            GONE + " (gave up after trying 3 nodes)"));
    }

    @Test
    void whenNoOtherNodeCanBeHadTheTaskFailsSayingWhy() {
        SagaState again = saga.on(creatingOn("node-a"), unreachable(), "node-a").next();

        Decision decision = saga.on(again, new NodeFailed("node quota reached: you have 0 of 0 nodes"), null);

        assertThat(decision.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(decision.statusReason()).isEqualTo("no node other than node-a (unreachable) could be had: "
            + "node quota reached: you have 0 of 0 nodes");
    }

    private static WorkspaceFailed unreachable() {
        return new WorkspaceFailed("ws-t1", GONE, true, FailureKinds.NODE_UNREACHABLE);
    }

    private SagaState creatingOn(String nodeId) {
        return saga.on(saga.start("t1", created).next(), new NodeReady("attached", true), nodeId).next();
    }
}
