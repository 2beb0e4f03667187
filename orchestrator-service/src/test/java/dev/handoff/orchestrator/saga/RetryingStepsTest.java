package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.events.AgentStartRequested;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Given a step that failed, expect a retry after a backoff (transient) or the task failed at once (permanent). */
class RetryingStepsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String REFUSED = "git clone failed with exit code 128: fatal: unable to access "
        + "'http://git.example/app.git/': Failed to connect to git.example port 80: Connection refused";

    private final AtomicInteger deliveries = new AtomicInteger();
    private final TaskSaga saga = new TaskSaga(() -> "delivery-" + deliveries.incrementAndGet(),
        new RetryPolicy(3, Duration.ofSeconds(4), Duration.ofSeconds(30), 0.5), Clock.fixed(NOW, ZoneOffset.UTC),
        () -> 0.0);
    private final TaskCreated created = new TaskCreated("p1", "s1", "http://git.example/app.git", "main",
        "claude-code", "Fix it", "user-1", null);

    @Test
    void aTransientCloneFailureStaysInTheStepAndSchedulesTheRetry() {
        SagaState creating = creating();

        Decision decision = saga.on(creating, new WorkspaceFailed("ws-t1", REFUSED, true, "network"), "n");

        assertThat(decision.next().status()).isEqualTo(TaskStatus.CREATING_WORKSPACE);
        assertThat(decision.outgoing()).isEmpty();
        assertThat(decision.next().retry().attempt()).isEqualTo(2);
        assertThat(decision.next().retry().retryAt()).isEqualTo(NOW.plusSeconds(4));
        assertThat(decision.retryAttempt()).isEqualTo(2);
        assertThat(decision.statusReason()).isEqualTo(REFUSED + "; retrying in 4 seconds (attempt 2 of 3)");
    }

    @Test
    void aDueRetrySendsTheSameWorkspaceRequestAgain() {
        SagaState waiting = saga.on(creating(), new WorkspaceFailed("ws-t1", REFUSED, true, "network"), "n").next();

        Decision decision = saga.onRetryDue(waiting);

        assertThat(decision.next().status()).isEqualTo(TaskStatus.CREATING_WORKSPACE);
        assertThat(decision.next().retry().retryAt()).isNull();
        assertThat(decision.next().retry().attempt()).isEqualTo(2);
        assertThat(decision.outgoing())
            .containsExactly(new WorkspaceRequested("ws-t1", "http://git.example/app.git", "main"));
        assertThat(decision.statusReason()).isEqualTo("trying again (attempt 2 of 3)");
        assertThat(decision.retryAttempt()).isNull();
    }

    @Test
    void theBackoffDoublesAndTheLastFailureFailsTheTaskSayingItGaveUp() {
        SagaState second = saga.onRetryDue(
            saga.on(creating(), new WorkspaceFailed("ws-t1", REFUSED, true, "network"), "n").next()).next();

        Decision third = saga.on(second, new WorkspaceFailed("ws-t1", REFUSED, true, "network"), "n");
        assertThat(third.next().retry().retryAt()).isEqualTo(NOW.plusSeconds(8));
        assertThat(third.statusReason()).endsWith("retrying in 8 seconds (attempt 3 of 3)");

        Decision last = saga.on(saga.onRetryDue(third.next()).next(),
            new WorkspaceFailed("ws-t1", REFUSED, true, "network"), "n");
        assertThat(last.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(last.outgoing()).containsExactly(new TaskFailed("workspace", REFUSED + " (gave up after 3 attempts)"));
        assertThat(last.statusReason()).isEqualTo(REFUSED + " (gave up after 3 attempts)");
    }

    @Test
    void aPermanentOrUnclassifiedFailureFailsAtOnce() {
        String notFound = "git clone failed with exit code 128: fatal: repository 'http://git.example/nope.git/' "
            + "not found";
        Decision permanent = saga.on(creating(), new WorkspaceFailed("ws-t1", notFound, false, "not_found"), "n");
        assertThat(permanent.next().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(permanent.statusReason()).isEqualTo(notFound);
        assertThat(permanent.retryAttempt()).isNull();

        assertThat(saga.on(creating(), new WorkspaceFailed("ws-t1", "clone failed"), "n").next().status())
            .isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void aSecondFailureWhileARetryIsDueChangesNothing() {
        SagaState waiting = saga.on(creating(), new WorkspaceFailed("ws-t1", REFUSED, true, "network"), "n").next();

        assertThat(saga.on(waiting, new WorkspaceFailed("ws-t1", REFUSED, true, "network"), "n").ignored()).isTrue();
    }

    @Test
    void theWorkspaceReadyAfterARetryMovesOnWithTheRetryStateCleared() {
        SagaState resent = saga.onRetryDue(
            saga.on(creating(), new WorkspaceFailed("ws-t1", REFUSED, true, "network"), "n").next()).next();

        SagaState starting = saga.on(resent, new WorkspaceReady("ws-t1", "/w/ws-t1"), "n").next();

        assertThat(starting.status()).isEqualTo(TaskStatus.STARTING_AGENT);
        assertThat(starting.retry().attempt()).isZero();
        assertThat(starting.retry().retryAt()).isNull();
    }

    @Test
    void aTransientNodeFailureRequestsANodeAgainForTheSameOwner() {
        SagaState provisioning = saga.start("t1", created).next();

        SagaState waiting = saga.on(provisioning, new NodeFailed("Hetzner answered 503", true, "server_error"), null)
            .next();
        Decision again = saga.onRetryDue(waiting);

        assertThat(waiting.status()).isEqualTo(TaskStatus.PROVISIONING_NODE);
        assertThat(again.outgoing()).containsExactly(new NodeRequested("claude-code", "small", "user-1"));
    }

    @Test
    void aTransientAgentStartFailureStartsAgainWithANewDeliveryAndIgnoresTheOldDeliverysLateReports() {
        SagaState starting = saga.on(creating(), new WorkspaceReady("ws-t1", "/w/ws-t1"), "n").next();
        assertThat(starting.placement().deliveryId()).isEqualTo("delivery-1");

        SagaState waiting = saga.on(starting, new AgentFailed("delivery-1", "npm error code ECONNRESET", true,
            "network"), "n").next();
        Decision again = saga.onRetryDue(waiting);

        assertThat(again.next().placement().deliveryId()).isEqualTo("delivery-2");
        assertThat(again.outgoing()).containsExactly(new AgentStartRequested("ws-t1", "delivery-2", "claude-code",
            "Fix it", null));
        assertThat(saga.on(again.next(), new AgentFailed("delivery-1", "npm error code ECONNRESET", true, "network"),
            "n").ignored()).isTrue();
    }

    @Test
    void aRetryDueAfterTheTaskMovedOnIsDropped() {
        assertThat(saga.onRetryDue(creating()).ignored()).isTrue();
    }

    @Test
    void jitterTakesAtMostItsPartOfTheWaitAndTheWaitIsCapped() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(4), Duration.ofSeconds(30), 0.5);

        assertThat(policy.delayBefore(2, 0.0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayBefore(2, 0.999)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(policy.delayBefore(3, 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayBefore(9, 0.0)).isEqualTo(Duration.ofSeconds(30));
    }

    private SagaState creating() {
        return saga.on(saga.start("t1", created).next(), new NodeReady("local", false), "n").next();
    }
}
