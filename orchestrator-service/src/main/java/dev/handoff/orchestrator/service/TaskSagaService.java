package dev.handoff.orchestrator.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.TaskCreated;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.orchestrator.TaskStatus;
import dev.handoff.orchestrator.repository.TaskRecord;
import dev.handoff.orchestrator.repository.TaskRepository;
import dev.handoff.orchestrator.repository.TaskTransition;
import dev.handoff.orchestrator.saga.Decision;
import dev.handoff.orchestrator.saga.SagaState;
import dev.handoff.orchestrator.saga.TaskSaga;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Applies one event to a task's saga, once per event id: loads the state, lets {@link TaskSaga} decide, and in one
 * transaction stores the new state, the transition, and the commands and TaskStatusChanged it causes (outbox).
 */
@ApplicationScoped
public class TaskSagaService {

    /** This consumer's name in the inbox. */
    static final String CONSUMER = "orchestrator-saga";

    private static final Logger LOG = Logger.getLogger(TaskSagaService.class);

    private final TaskSaga saga = new TaskSaga(() -> UUID.randomUUID().toString());

    @Inject
    TaskRepository tasks;

    @Inject
    EventTransactions transactions;

    public Uni<Void> handle(Envelope event) {
        return transactions.applyOnce(CONSUMER, event, () -> tasks.findById(event.taskId())
            .flatMap(record -> decideAndStore(record, event))
            .map(Outcome::events)).replaceWithVoid();
    }

    private Uni<List<Envelope>> decideAndStore(TaskRecord record, Envelope event) {
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
        } else if (record == null) {
            LOG.warnf("task %s: %s for an unknown task, ignored", event.taskId(), event.type());
            return Uni.createFrom().item(List.of());
        } else {
            from = record.status;
            decision = saga.on(record.toState(), event.payload(), event.nodeId());
        }
        if (decision.ignored()) {
            LOG.infof("task %s: %s ignored: %s", event.taskId(), event.type(), decision.note());
            return Uni.createFrom().item(List.of());
        }
        Instant now = Instant.now();
        SagaState next = decision.next();
        record.apply(next, now);
        TaskTransition transition = new TaskTransition();
        transition.taskId = next.taskId();
        transition.fromStatus = from;
        transition.toStatus = next.status();
        transition.causeEventId = event.eventId();
        transition.causeEventType = event.type();
        transition.note = decision.note();
        transition.at = now;
        LOG.infof("task %s: %s -> %s on %s (%s)", next.taskId(), from.wireName(), next.status().wireName(),
            event.type(), decision.note());
        List<Envelope> outgoing = new ArrayList<>();
        for (EventPayload payload : decision.outgoing()) {
            outgoing.add(event.next(payload, next.nodeId()));
        }
        outgoing.add(event.next(new TaskStatusChanged(next.status().wireName(), from.wireName(), event.type(),
            next.failureReason(), next.stopReason()), next.nodeId()));
        return tasks.persist(record).flatMap(ignored -> tasks.record(transition)).replaceWith(outgoing);
    }
}
