package dev.handoff.chat.service;

import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.repository.ChatMessage;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.SessionResource.FollowUpAccepted;
import dev.handoff.chat.rest.SessionResource.FollowUpRequest;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.FollowUpSubmitted;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * The user's follow-up messages: in one transaction stores the message in the session and stages
 * FollowUpSubmitted for the orchestrator, which sends it to the task's agent as its next prompt. Taken only when
 * the last turn has ended (status {@code turn_ended}); the task is then shown {@code delivering_prompt} at once, so
 * a second follow-up before the orchestrator's own status change is refused too.
 */
@ApplicationScoped
public class FollowUpService {

    static final String CONSUMER = "chat-follow-ups";

    static final String NEW_SESSION_NOTICE = "The agent was started again in a new session: it does not remember "
        + "the earlier messages of this chat.";
    static final String LOADED_NOTICE = "The agent was started again and reloaded this conversation.";

    private static final Logger LOG = Logger.getLogger(FollowUpService.class);

    @Inject
    ChatRepository repository;

    @Inject
    EventTransactions transactions;

    @Inject
    TaskStatusService statuses;

    /**
     * @throws ApiException 400 naming {@code text}, 404 for an unknown session, 409 while a turn runs or after the
     *     task ended
     */
    /** The user's follow-up; a session of another user is unknown (404). */
    public Uni<FollowUpAccepted> submit(AuthenticatedUser user, String sessionId, FollowUpRequest request) {
        if (request == null) {
            throw ApiException.invalid("text", "a JSON body with a text is required");
        }
        String text = Validation.requireText("text", request.text(), TaskSubmissionService.MAX_DESCRIPTION);
        return transactions.commit(() -> repository.visibleSession(sessionId, user.id())
            .onItem().ifNull().failWith(() -> ApiException.notFound("no session " + sessionId))
            .flatMap(session -> repository.find(Task.class, session.taskId)
                .flatMap(task -> store(session, task, text))));
    }

    private Uni<Outcome<FollowUpAccepted>> store(ChatSession session, Task task, String text) {
        // The agent takes a follow-up only between turns.
        if (task.status != TaskStatus.TURN_ENDED) {
            throw ApiException.conflict(task.status.isEndedOrEnding()
                ? "task " + task.id + " already ended (" + task.status.wireName() + "); it takes no follow-up"
                : "task " + task.id + " is " + task.status.wireName()
                    + "; send the follow-up when its turn has ended");
        }
        Instant now = Instant.now();
        ChatMessage message = new ChatMessage();
        message.sessionId = session.id;
        message.seq = ++session.lastMessageSeq;
        message.role = "user";
        message.content = text;
        message.complete = true;
        message.createdAt = now;
        message.changedIn(session);
        // What the orchestrator moves the task to when it sends the follow-up.
        task.status = TaskStatus.DELIVERING_PROMPT;
        task.updatedAt = now;
        Envelope submitted = Envelope.first(new FollowUpSubmitted(session.id, message.seq, text), task.id);
        LOG.infof("task %s: follow-up accepted as message %d of session %s", task.id, message.seq, session.id);
        return repository.persist(message).replaceWith(Outcome.of(
            new FollowUpAccepted(session.id, task.id, message.seq, TaskStatus.DELIVERING_PROMPT.wireName()), List.of(submitted)));
    }

    /** Tells the user when the agent was started again for the follow-up, and whether it remembers. */
    public Uni<Void> applyPromptDelivered(Envelope event) {
        AgentPromptDelivered delivered = event.payload(AgentPromptDelivered.class);
        return transactions.applyOnce(CONSUMER, event, () -> repository.find(Task.class, event.taskId())
            .flatMap(task -> {
                if (task == null || "continued".equals(delivered.how())) {
                    return Uni.createFrom().voidItem();
                }
                return statuses.addSystemMessage(task.sessionId,
                    "new_session".equals(delivered.how()) ? NEW_SESSION_NOTICE : LOADED_NOTICE);
            }).replaceWith(Outcome.none())).replaceWithVoid();
    }
}
