package dev.handoff.chat.service;

import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.TaskResource.TaskView;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.TaskCancelRequested;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The user's cancel: in one transaction adds "Cancel requested." to the task's chat and stages
 * TaskCancelRequested for the orchestrator, which stops the agent and reports the task cancelling, then cancelled.
 * The task's own status changes only when the orchestrator says so.
 */
@ApplicationScoped
public class TaskCancelService {

    /** What the orchestrator is told, and what the chat shows in the timeline. */
    static final String USER_CANCELLED = "the user cancelled the task";

    private static final Logger LOG = Logger.getLogger(TaskCancelService.class);

    @Inject
    ChatRepository repository;

    @Inject
    EventTransactions transactions;

    @Inject
    TaskStatusService statuses;

    @Inject
    ProjectService projects;

    @Inject
    SessionChanges changes;

    /**
     * @return the task's view after the request was stored
     * @throws ApiException 404 for an unknown task or another user's, 409 for a task that already ended
     */
    public Uni<TaskView> requestCancel(AuthenticatedUser user, String taskId) {
        // The task's row is locked before the chat's rows are touched, in the order the status and output consumers
        // lock them: a cancel while the agent streams waits for the output being applied instead of deadlocking.
        return transactions.commit(() -> projects.visibleTask(user, taskId)
                .flatMap(repository::lockAgain)
                .flatMap(this::stageCancel))
            .invoke(changes::changed)
            .flatMap(ignored -> statuses.view(taskId));
    }

    /** @return the session that got "Cancel requested." (null: nothing staged) and the event to publish */
    private Uni<Outcome<String>> stageCancel(Task task) {
        if (task.status.isTerminal()) {
            throw ApiException.conflict("task " + task.id + " already ended (" + task.status.wireName()
                + "); there is nothing to cancel");
        }
        if (task.status == TaskStatus.CANCELLING || task.cancelRequestedAt != null) {
            LOG.infof("task %s: cancel requested again while %s; nothing more to do", task.id, task.status);
            return Uni.createFrom().item(Outcome.of(null, List.of()));
        }
        task.cancelRequestedAt = java.time.Instant.now();
        Envelope request = Envelope.first(new TaskCancelRequested(USER_CANCELLED), task.id);
        LOG.infof("task %s: cancel requested while %s", task.id, task.status);
        return statuses.addSystemMessage(task.sessionId, "Cancel requested.")
            .replaceWith(Outcome.of(task.sessionId, List.of(request)));
    }
}
