package dev.handoff.chat.service;

import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.repository.ChatMessage;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.AgentStream;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.repository.TimelineEntry;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.TaskResource.TaskView;
import dev.handoff.chat.rest.TaskResource.TimelineStep;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.servicekit.SafeContext;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/** Keeps the user's view of each task's status and timeline, from the orchestrator's status changes. */
@ApplicationScoped
public class TaskStatusService {

    private static final Logger LOG = Logger.getLogger(TaskStatusService.class);

    static final String CONSUMER = "chat-status";

    @Inject
    ChatRepository repository;

    @Inject
    EventTransactions transactions;

    @Inject
    ProjectService projects;

    @Inject
    PermissionService permissions;

    @Inject
    SessionChanges changes;

    @Inject
    TurnEndConfig turnEnd;

    /**
     * Applies the status change, except a turn_ended whose turn's last output ({@code lastSequence}) the chat does not
     * hold yet: that one is held on the task until the output arrives ({@link #releaseIfReached}) or its wait is
     * over ({@link #releaseOverdue}). A status change that comes while one is held applies the held one first.
     */
    public Uni<Void> applyStatusChanged(Envelope event) {
        TaskStatusChanged change = event.payload(TaskStatusChanged.class);
        return transactions.applyOnce(CONSUMER, event, () -> repository.taskForUpdate(event.taskId())
                .flatMap(task -> {
                    if (task == null) {
                        LOG.warnf("status %s for unknown task %s ignored", change.status(), event.taskId());
                        return Uni.createFrom().<String>nullItem();
                    }
                    return releaseHeld(task, "a later status came").flatMap(v -> holdOrRecord(task, event, change));
                })
                .map(changedSession -> Outcome.of(changedSession, List.of())))
            .invoke(changes::changed).replaceWithVoid();
    }

    private Uni<String> holdOrRecord(Task task, Envelope event, TaskStatusChanged change) {
        if (TaskStatus.ofWireName(change.status()) != TaskStatus.TURN_ENDED || change.lastSequence() == null || change.lastSequence() <= 0) {
            return record(task, event, change);
        }
        return repository.find(AgentStream.class, task.id).flatMap(stream -> {
            long stored = stream == null ? 0 : stream.lastSequence;
            if (stored >= change.lastSequence()) {
                return record(task, event, change);
            }
            LOG.infof("task %s: turn ended after output %d, the chat holds %d; turn_ended waits for the rest",
                task.id, change.lastSequence(), stored);
            task.heldStatusEvent = EventCodec.encode(event);
            task.heldUntilSequence = change.lastSequence();
            task.heldSince = Instant.now();
            return Uni.createFrom().<String>nullItem();
        });
    }

    /**
     * The task's held turn_ended, if the transcript now holds output up to {@code storedSequence}: applied now, in
     * the caller's transaction (which has the task row locked). Returns the session when it changed.
     */
    public Uni<String> releaseIfReached(Task task, long storedSequence) {
        if (task.heldStatusEvent == null || task.heldUntilSequence == null
            || storedSequence < task.heldUntilSequence) {
            return Uni.createFrom().nullItem();
        }
        return releaseHeld(task, "its output is in the chat");
    }

    /** Applies the held statuses that waited longer than {@code handoff.chat.turn-end.max-wait}. */
    @Scheduled(every = "${handoff.chat.turn-end.sweep-interval:1s}", delayed = "5s",
        concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepHeld() {
        SafeContext.run(null, "held turn_ended sweep", this::releaseOverdue);
    }

    Uni<Void> releaseOverdue() {
        Instant before = Instant.now().minus(turnEnd.maxWait());
        return Panache.withSession(() -> repository.tasksHeldSince(before)).flatMap(ids -> Multi.createFrom()
            .iterable(ids)
            .onItem().transformToUniAndConcatenate(id -> transactions.commit(() -> repository.taskForUpdate(id)
                    .flatMap(task -> task == null ? Uni.createFrom().<String>nullItem()
                        : releaseHeld(task, "its output did not all reach the chat within " + turnEnd.maxWait()))
                    .map(session -> Outcome.of(session, List.of())))
                .invoke(changes::changed))
            .collect().last().replaceWithVoid());
    }

    /** Applies the held status (if any) and clears it. */
    private Uni<String> releaseHeld(Task task, String why) {
        if (task.heldStatusEvent == null) {
            return Uni.createFrom().nullItem();
        }
        Envelope held = EventCodec.decode(task.heldStatusEvent, null);
        LOG.infof("task %s: held %s applied: %s", task.id, held.payload(TaskStatusChanged.class).status(), why);
        task.heldStatusEvent = null;
        task.heldUntilSequence = null;
        task.heldSince = null;
        return record(task, held, held.payload(TaskStatusChanged.class));
    }

    /** @return the session whose task changed */
    private Uni<String> record(Task task, Envelope event, TaskStatusChanged change) {
        TaskStatus status = TaskStatus.ofWireName(change.status());
        task.status = status;
        task.stopReason = change.stopReason();
        task.failureReason = status == TaskStatus.FAILED ? change.reason() : null;
        task.updatedAt = Instant.now();
        TimelineEntry entry = new TimelineEntry();
        entry.taskId = task.id;
        entry.status = change.status();
        entry.eventType = change.cause();
        entry.eventId = event.eventId();
        entry.nodeId = event.nodeId();
        entry.detail = change.reason() != null ? change.reason() : change.stopReason();
        entry.at = event.occurredAt();
        Uni<Void> stored = repository.persist(entry).replaceWithVoid();
        if (status.isEndedOrEnding()) {
            stored = stored.flatMap(v -> permissions.expirePending(task.sessionId));
        }
        if (status == TaskStatus.FAILED) {
            stored = stored.flatMap(v -> closeOpenMessages(task.sessionId))
                .flatMap(v -> addSystemMessage(task.sessionId, "The task failed: " + change.reason()));
        } else if (status == TaskStatus.CANCELLED) {
            stored = stored.flatMap(v -> closeOpenMessages(task.sessionId))
                .flatMap(v -> addSystemMessage(task.sessionId, "The task was cancelled."));
        } else if (status == TaskStatus.COMPLETED) {
            stored = stored.flatMap(v -> closeOpenMessages(task.sessionId))
                .flatMap(v -> addSystemMessage(task.sessionId, "The task is over: " + change.reason() + "."));
        } else if (change.retryAttempt() != null && change.reason() != null) {
            // A step failed for a transient reason and is tried again: the user sees what failed and when.
            stored = stored.flatMap(v -> addSystemMessage(task.sessionId, change.reason()));
        } else if (status == TaskStatus.STALLED) {
            stored = stored.flatMap(v -> addSystemMessage(task.sessionId, "Stalled: " + change.reason()
                + ". Handoff keeps waiting for it."));
        }
        return stored.replaceWith(task.sessionId);
    }

    /** Marks text the agent will no longer add to (it was stopped, or failed) complete. */
    private Uni<Void> closeOpenMessages(String sessionId) {
        return repository.find(ChatSession.class, sessionId).flatMap(session -> repository.openMessages(sessionId)
            .invoke(open -> open.forEach(m -> {
                m.complete = true;
                m.changedIn(session);
            }))).replaceWithVoid();
    }

    /** Appends a system message to the session; call inside a transaction. */
    Uni<Void> addSystemMessage(String sessionId, String text) {
        return repository.find(ChatSession.class, sessionId).flatMap(session -> {
            ChatMessage message = new ChatMessage();
            message.sessionId = sessionId;
            message.seq = ++session.lastMessageSeq;
            message.role = "system";
            message.content = text;
            message.complete = true;
            return repository.persist(message.changedIn(session)).replaceWithVoid();
        });
    }

    /** The user's task; 404 when it does not exist or is another user's. */
    public Uni<TaskView> view(AuthenticatedUser user, String taskId) {
        return projects.visibleTask(user, taskId).flatMap(task -> view(taskId));
    }

    /** The task's view without an ownership check: only for code that already checked (or serves no user). */
    public Uni<TaskView> view(String taskId) {
        return Panache.withSession(() -> repository.find(Task.class, taskId)
            .onItem().ifNull().failWith(() -> ApiException.notFound("no task " + taskId))
            .flatMap(task -> repository.timeline(taskId).map(entries -> new TaskView(task.id, task.projectId,
                task.sessionId, task.agent, task.status.wireName(), task.stopReason, task.failureReason, task.createdAt,
                task.updatedAt, entries.stream()
                .map(e -> new TimelineStep(e.status, e.eventType, e.detail, e.nodeId, e.at)).toList(),
                task.branch, task.commitSha, task.pullRequestUrl, task.publishResult, null))));
    }
}
