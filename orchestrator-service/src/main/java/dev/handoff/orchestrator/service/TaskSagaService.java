package dev.handoff.orchestrator.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.PermissionAnswered;
import dev.handoff.contracts.events.TaskCreated;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.orchestrator.config.DeadlineConfig;
import dev.handoff.orchestrator.config.RetryConfig;
import dev.handoff.orchestrator.metrics.StepsTaken;
import dev.handoff.orchestrator.metrics.TaskMetrics;
import dev.handoff.orchestrator.repository.TaskRecord;
import dev.handoff.orchestrator.repository.TaskRepository;
import dev.handoff.orchestrator.repository.TaskTransition;
import dev.handoff.orchestrator.saga.Decision;
import dev.handoff.orchestrator.saga.Overdue;
import dev.handoff.orchestrator.saga.SagaState;
import dev.handoff.orchestrator.saga.TaskSaga;
import dev.handoff.servicekit.SafeContext;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Applies events and deadlines to tasks' sagas. For an event, once per event id: load the state, let
 * {@link TaskSaga} decide, and in one transaction store the new state, the transition, and the commands and
 * TaskStatusChanged it causes (outbox). A periodic sweep does the same for tasks past a step's deadline and for
 * tasks whose retry of a transiently failed step is due ({@code retryAt}, persisted with the saga).
 */
@ApplicationScoped
public class TaskSagaService {

    /** This consumer's name in the inbox. */
    static final String CONSUMER = "orchestrator-saga";

    /** The cause named in transitions and status changes that a deadline made. */
    static final String DEADLINE = "Deadline";

    /** The cause named in transitions and status changes when a failed step's command is sent again. */
    static final String RETRY = "Retry";

    private static final Logger LOG = Logger.getLogger(TaskSagaService.class);

    private TaskSaga saga;
    private final AtomicBoolean sweeping = new AtomicBoolean();

    @Inject
    TaskRepository tasks;

    @Inject
    EventTransactions transactions;

    @Inject
    DeadlineConfig deadlines;

    @Inject
    RetryConfig retries;

    @Inject
    TaskMetrics metrics;

    @PostConstruct
    void createSaga() {
        saga = new TaskSaga(() -> UUID.randomUUID().toString(), retries.policy(), Clock.systemUTC(), Math::random);
    }

    public Uni<Void> handle(Envelope event) {
        StepsTaken steps = new StepsTaken();
        return transactions.applyOnce(CONSUMER, event, () -> {
                steps.clear();
                return tasks.findById(event.taskId())
                    .flatMap(record -> decideAndStore(record, event, steps))
                    .map(Outcome::events);
            })
            .invoke(() -> metrics.record(steps.steps()))
            .replaceWithVoid();
    }

    /**
     * Applies a run of events (a poll's consecutive agent output) in one transaction, each as {@link #handle} would
     * one by one and in order: one inbox statement and one commit for the run, the task's row read once.
     */
    public Uni<Void> handleAll(List<Envelope> events) {
        StepsTaken steps = new StepsTaken();
        return transactions.applyAllOnce(CONSUMER, events, () -> {
                steps.clear();
                return event -> tasks.findById(event.taskId())
                    .flatMap(record -> decideAndStore(record, event, steps))
                    .map(Outcome::events);
            })
            .invoke(() -> metrics.record(steps.steps()))
            .replaceWithVoid();
    }

    private Uni<List<Envelope>> decideAndStore(TaskRecord record, Envelope event, StepsTaken steps) {
        Decision decision;
        TaskStatus from;
        if (event.payload() instanceof TaskCreated created) {
            if (record != null) {
                LOG.infof("task %s: TaskCreated %s again, already %s", event.taskId(), event.eventId(), record.status);
                return Uni.createFrom().item(List.of());
            }
            decision = saga.start(event.taskId(), created);
            from = TaskStatus.QUEUED;
            record = new TaskRecord();
            record.traceparent = event.traceparent();
            record.statusSince = event.occurredAt(); // queued since chat-service created it
        } else if (record == null) {
            LOG.warnf("task %s: %s for an unknown task, ignored", event.taskId(), event.type());
            return Uni.createFrom().item(List.of());
        } else {
            from = record.status;
            decision = saga.on(record.toState(), event.payload(), event.nodeId());
        }
        if (event.payload() instanceof AgentOutput) {
            record.lastOutputAt = event.occurredAt();
        }
        record.lastEventId = event.eventId();
        if (decision.ignored()) {
            if (!(event.payload() instanceof AgentOutput)) {
                LOG.infof("task %s: %s ignored: %s", event.taskId(), event.type(), decision.note());
            }
            return tasks.persist(record).replaceWith(List.of());
        }
        restartOutputClock(record, event);
        String nodeId = decision.next().placement().nodeId();
        return store(record, from, decision, event.eventId(), event.type(), payload -> event.next(payload, nodeId),
            steps);
    }

    /**
     * A turn that goes on after the agent took a follow-up counts its first-output deadline from now (no output yet);
     * after the user answered a permission request, the stall clock counts from the answer, not from before the wait.
     */
    private static void restartOutputClock(TaskRecord record, Envelope event) {
        if (event.payload() instanceof AgentPromptDelivered) {
            record.lastOutputAt = null;
        } else if (event.payload() instanceof PermissionAnswered && record.lastOutputAt != null) {
            record.lastOutputAt = event.occurredAt();
        }
    }

    /** Checks every task with a deadline; each one past it moves on in its own transaction. */
    @Scheduled(every = "${handoff.deadlines.sweep-interval:1s}", delayed = "1s")
    void sweepDeadlines() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        Instant now = Instant.now();
        SafeContext.run(null, "deadline sweep", () -> Panache.withSession(() -> tasks.withDeadlines())
                .flatMap(candidates -> Multi.createFrom().iterable(candidates)
                    .filter(task -> overdue(task, now).isPresent() || retryDue(task, now))
                    .onItem().transformToUniAndConcatenate(task -> expire(task.id, now))
                    .collect().last()
                    .replaceWithVoid()))
            .whenComplete((v, f) -> sweeping.set(false));
    }

    private Uni<Void> expire(String taskId, Instant now) {
        StepsTaken steps = new StepsTaken();
        return transactions.commit(() -> tasks.findById(taskId).flatMap(record -> {
            steps.clear();
            Optional<Overdue> overdue = record == null ? Optional.empty() : overdue(record, now);
            if (overdue.isEmpty() && (record == null || !retryDue(record, now))) {
                return Uni.createFrom().item(Outcome.none());
            }
            // A step past its deadline fails even when a retry is due: retries stay within the step's deadline.
            Decision decision = overdue.isPresent() ? saga.onOverdue(record.toState(), overdue.get())
                : saga.onRetryDue(record.toState());
            if (decision.ignored()) {
                return Uni.createFrom().item(Outcome.none());
            }
            String nodeId = decision.next().placement().nodeId();
            String cause = overdue.isPresent() ? DEADLINE : RETRY;
            return store(record, record.status, decision, record.lastEventId, cause,
                payload -> Envelope.causedBy(record.lastEventId, record.id, nodeId, record.traceparent, payload), steps)
                .map(Outcome::events);
        })).invoke(() -> metrics.record(steps.steps())).onFailure().invoke(f -> LOG.errorf(f, "task %s: deadline or retry not applied", taskId));
    }

    private static boolean retryDue(TaskRecord task, Instant now) {
        return task.retryAt != null && !now.isBefore(task.retryAt) && !task.status.isTerminal();
    }

    private Optional<Overdue> overdue(TaskRecord task, Instant now) {
        return deadlines.steps().check(task.status, task.createdAt, task.statusSince, task.lastOutputAt, now);
    }

    /** Stores the decided state and its transition; returns the events it causes, made by {@code envelope}. */
    private Uni<List<Envelope>> store(TaskRecord record, TaskStatus from, Decision decision, UUID causeId,
                                      String causeType, Function<EventPayload, Envelope> envelope,
                                      StepsTaken steps) {
        Instant now = Instant.now();
        SagaState next = decision.next();
        Instant since = record.statusSince == null ? now : record.statusSince;
        steps.add(new StepsTaken.Step(from, next.status(), Duration.between(since, now).isNegative() ? Duration.ZERO
            : Duration.between(since, now), causeType));
        record.apply(next, now);
        TaskTransition transition = new TaskTransition();
        transition.taskId = next.taskId();
        transition.fromStatus = from;
        transition.toStatus = next.status();
        transition.causeEventId = causeId;
        transition.causeEventType = causeType;
        transition.note = decision.note();
        transition.at = now;
        LOG.infof("task %s: %s -> %s on %s (%s)", next.taskId(), from.wireName(), next.status().wireName(),
            causeType, decision.note());
        List<Envelope> outgoing = new ArrayList<>();
        for (EventPayload payload : decision.outgoing()) {
            outgoing.add(envelope.apply(payload));
        }
        outgoing.add(envelope.apply(new TaskStatusChanged(next.status().wireName(), from.wireName(), causeType,
            decision.statusReason(), next.outcome().stopReason(), decision.retryAttempt(),
            next.status() == TaskStatus.TURN_ENDED ? next.conversation().lastSequence() : null)));
        return tasks.persist(record).flatMap(ignored -> tasks.record(transition)).replaceWith(outgoing);
    }
}
