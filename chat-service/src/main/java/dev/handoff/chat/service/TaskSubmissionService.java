package dev.handoff.chat.service;

import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.repository.ChatMessage;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.Project;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.repository.TimelineEntry;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.ProjectResource.SubmitTaskRequest;
import dev.handoff.chat.rest.ProjectResource.TaskAccepted;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.TaskCreated;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Accepts a user's task: in one transaction stores the task, a new chat session, the description as its first
 * user message, and TaskCreated in the outbox; the relay publishes it right after commit.
 */
@ApplicationScoped
public class TaskSubmissionService {

    /** Longest task description accepted, in characters. */
    public static final int MAX_DESCRIPTION = 32_000;

    private static final Logger LOG = Logger.getLogger(TaskSubmissionService.class);

    @Inject
    ChatRepository repository;

    @Inject
    EventTransactions transactions;

    @Inject
    AgentCatalog agents;

    @Inject
    ProjectService projects;

    @Inject
    RepositoryUrls repositoryUrls;

    @Inject
    UserLimits limits;

    /**
     * 404 when the project does not exist or the user may not see it (not theirs, not their team's); 429 when the user
     * has {@code handoff.limits.open-tasks-per-user} tasks not ended (counted in the same transaction).
     */
    public Uni<TaskAccepted> submit(AuthenticatedUser user, String projectId, SubmitTaskRequest request) {
        if (request == null) {
            throw ApiException.invalid("description", "a JSON body with a description is required");
        }
        String description = Validation.requireText("description", request.description(), MAX_DESCRIPTION);
        String requestedAgent = request.agent() == null ? null : agents.require("agent", request.agent());
        return transactions.commit(() -> projects.visible(user, projectId)
                // Checked again: the rules or the host's addresses may have changed since the project was saved.
                .flatMap(project -> repositoryUrls.requireAllowed("repositoryUrl", project.repositoryUrl)
                    .replaceWith(project))
                .call(project -> limits.admitTask(user.id()))
                .flatMap(project -> store(project, user, description, requestedAgent))
                .map(created -> Outcome.of(created, List.of(created))))
            .map(created -> {
                TaskCreated payload = created.payload(TaskCreated.class);
                LOG.infof("task %s accepted in session %s", created.taskId(), payload.sessionId());
                return new TaskAccepted(created.taskId(), payload.sessionId(), TaskStatus.QUEUED.wireName());
            });
    }

    /**
     * The task is the submitter's: TaskCreated.ownerId (and so NodeRequested.ownerId: their nodes and quota) and
     * Task.submittedBy (their secrets) name them, also in a team's project. TaskCreated.ownerOperator says whether
     * they are an operator: the local provider starts nodes on the control-plane host only for operators.
     */
    private Uni<Envelope> store(Project project, AuthenticatedUser submitter, String description,
                                String requestedAgent) {
        Instant now = Instant.now();
        String taskId = UUID.randomUUID().toString();
        String agent = requestedAgent != null ? requestedAgent : project.defaultAgent;

        ChatSession session = new ChatSession();
        session.id = UUID.randomUUID().toString();
        session.projectId = project.id;
        session.taskId = taskId;
        session.topic = description.length() > 200 ? description.substring(0, 197) + "..." : description;
        session.lastMessageSeq = 1;
        session.createdAt = now;

        ChatMessage first = new ChatMessage();
        first.sessionId = session.id;
        first.seq = 1;
        first.role = "user";
        first.content = description;
        first.complete = true;
        first.changedIn(session);

        Task task = new Task();
        task.id = taskId;
        task.projectId = project.id;
        task.sessionId = session.id;
        task.agent = agent;
        task.submittedBy = submitter.id();
        task.status = TaskStatus.QUEUED;
        task.createdAt = now;
        task.updatedAt = now;

        Envelope created = Envelope.first(new TaskCreated(project.id, session.id, project.repositoryUrl,
            project.defaultBranch, agent, description, submitter.id(), project.effectivePermissionPolicy(),
            project.effectiveNodeSize(), submitter.operator() ? Boolean.TRUE : null),
            taskId);

        TimelineEntry queued = new TimelineEntry();
        queued.taskId = taskId;
        queued.status = TaskStatus.QUEUED.wireName();
        queued.eventType = created.type();
        queued.eventId = created.eventId();
        queued.at = created.occurredAt();

        return repository.persist(session)
            .flatMap(s -> repository.persist(first))
            .flatMap(m -> repository.persist(task))
            .flatMap(t -> repository.persist(queued))
            .replaceWith(created);
    }
}
