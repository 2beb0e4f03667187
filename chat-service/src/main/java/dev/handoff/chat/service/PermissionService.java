package dev.handoff.chat.service;

import dev.handoff.chat.auth.AuthenticatedUser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.chat.repository.ChatMessage;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.TaskResource.PermissionAnswerAccepted;
import dev.handoff.chat.rest.TaskResource.PermissionAnswerRequest;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.events.PermissionAnswered;
import dev.handoff.contracts.events.PermissionRequested;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's permission requests in the chat: each PermissionRequested becomes a message with role
 * {@code permission} and data {@code {requestId, toolCall, options, state, chosenOptionId}}; the user's answer
 * marks it {@code answered} and, in the same transaction, stages PermissionAnswered for the orchestrator; a request
 * still pending when its turn ends or the task is cancelled or fails is marked {@code expired}.
 */
@ApplicationScoped
public class PermissionService {

    static final String CONSUMER = "chat-permissions";
    static final String ROLE = "permission";
    static final String PENDING = "pending";
    static final String ANSWERED = "answered";
    static final String EXPIRED = "expired";

    private static final Logger LOG = Logger.getLogger(PermissionService.class);

    @Inject
    ChatRepository repository;

    @Inject
    EventTransactions transactions;

    public Uni<Void> applyPermissionRequested(Envelope event) {
        PermissionRequested requested = event.payload(PermissionRequested.class);
        return transactions.applyOnce(CONSUMER, event, () -> repository.find(Task.class, event.taskId())
            .flatMap(task -> task == null ? Uni.createFrom().voidItem() : addRequest(task, requested))
            .replaceWith(Outcome.none())).replaceWithVoid();
    }

    private Uni<Void> addRequest(Task task, PermissionRequested requested) {
        return repository.permissionRequest(task.sessionId, requested.requestId()).flatMap(existing -> {
            if (existing != null) {
                LOG.debugf("task %s: permission request %s already shown", task.id, requested.requestId());
                return Uni.createFrom().voidItem();
            }
            return repository.find(ChatSession.class, task.sessionId).flatMap(session -> repository
                .openMessages(task.sessionId).map(open -> {
                    open.forEach(m -> {
                        m.complete = true;
                        m.changedIn(session);
                    });
                    return session;
                })).flatMap(session -> {
                Instant now = Instant.now();
                ObjectNode data = Json.MAPPER.createObjectNode().put("requestId", requested.requestId());
                data.set("toolCall", requested.toolCall());
                data.set("options", requested.options());
                data.put("state", PENDING).putNull("chosenOptionId");
                ChatMessage message = new ChatMessage();
                message.sessionId = session.id;
                message.seq = ++session.lastMessageSeq;
                message.role = ROLE;
                message.content = requested.toolCall().path("title").asText("The agent asks permission");
                message.data = write(data);
                message.permissionRequestId = requested.requestId();
                message.agentSessionId = requested.agentSessionId();
                message.complete = true;
                message.createdAt = now;
                message.changedIn(session);
                LOG.infof("task %s: the agent asks permission for \"%s\" (request %s)", task.id, message.content,
                    requested.requestId());
                return repository.persist(message).replaceWithVoid();
            });
        });
    }

    /**
     * The user's answer: 404 for an unknown task or request, 409 when the request is no longer pending, 400 naming
     * optionId when it is not one of the request's options.
     */
    /** The user's answer; a task of another user is unknown (404). */
    public Uni<PermissionAnswerAccepted> answer(AuthenticatedUser user, String taskId, String requestId,
                                                PermissionAnswerRequest request) {
        if (request == null || request.optionId() == null || request.optionId().isBlank()) {
            throw ApiException.invalid("optionId", "optionId is required: one of the request's options");
        }
        String optionId = request.optionId();
        return transactions.commit(() -> repository.visibleTask(taskId, user.id())
                .onItem().ifNull().failWith(() -> ApiException.notFound("no task " + taskId))
                .flatMap(task -> repository.permissionRequest(task.sessionId, requestId)
                    .onItem().ifNull().failWith(() -> ApiException.notFound("no permission request " + requestId
                        + " in task " + taskId))
                    .flatMap(message -> repository.find(ChatSession.class, task.sessionId).flatMap(session -> {
                        markAnswered(message, requestId, optionId);
                        message.changedIn(session);
                        return stillPending(session.id).map(others -> {
                            Envelope answered = Envelope.first(
                                new PermissionAnswered(requestId, optionId, others), task.id);
                            LOG.infof("task %s: permission request %s answered %s (%d others still pending)",
                                task.id, requestId, optionId, others);
                            return Outcome.of(new PermissionAnswerAccepted(taskId, requestId, optionId, ANSWERED),
                                List.of(answered));
                        });
                    }))));
    }

    /** How many of the session's permission requests still wait for the user. */
    private Uni<Integer> stillPending(String sessionId) {
        return repository.permissionRequests(sessionId).map(messages -> (int) messages.stream()
            .filter(message -> PENDING.equals(read(message.data).path("state").asText()))
            .count());
    }

    private static void markAnswered(ChatMessage message, String requestId, String optionId) {
        ObjectNode data = (ObjectNode) read(message.data);
        String state = data.path("state").asText();
        if (!PENDING.equals(state)) {
            throw ApiException.conflict("permission request " + requestId + " is already " + state
                + (ANSWERED.equals(state) ? " (" + data.path("chosenOptionId").asText() + ")" : ""));
        }
        List<String> optionIds = new ArrayList<>();
        data.path("options").forEach(option -> optionIds.add(option.path("optionId").asText()));
        if (!optionIds.contains(optionId)) {
            throw ApiException.invalid("optionId", "optionId must be one of " + optionIds + ", got '" + optionId
                + "'");
        }
        data.put("state", ANSWERED).put("chosenOptionId", optionId);
        message.data = write(data);
    }

    /** Marks the session's pending requests expired (the turn ended, or the task is cancelled or failed). */
    Uni<Void> expirePending(String sessionId) {
        return repository.find(ChatSession.class, sessionId).flatMap(this::expirePending);
    }

    Uni<Void> expirePending(ChatSession session) {
        return repository.permissionRequests(session.id).map(messages -> {
            for (ChatMessage message : messages) {
                ObjectNode data = (ObjectNode) read(message.data);
                if (PENDING.equals(data.path("state").asText())) {
                    data.put("state", EXPIRED);
                    message.data = write(data);
                    message.changedIn(session);
                }
            }
            return null;
        }).replaceWithVoid();
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored message data is not JSON", e);
        }
    }

    private static String write(JsonNode json) {
        try {
            return Json.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
