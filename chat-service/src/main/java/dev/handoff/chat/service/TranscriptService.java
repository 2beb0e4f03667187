package dev.handoff.chat.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.metrics.RelayMetrics;
import dev.handoff.chat.repository.AgentStream;
import dev.handoff.chat.repository.ChatMessage;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.rest.SessionResource.MessagePage;
import dev.handoff.chat.rest.SessionResource.MessageView;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Folds the agent's output into the chat: consecutive message chunks of the same agent message (same
 * messageId, when the agent sends one) become one assistant message, thought chunks one thinking message, each tool call one tool message updated in place by its tool_call_update, each
 * plan a plan message. Each event is applied once (inbox), and output at or below the highest sequence already
 * stored is dropped too, since a node that resends after a reconnect makes new events for old output.
 */
@ApplicationScoped
public class TranscriptService {

    private static final Logger LOG = Logger.getLogger(TranscriptService.class);

    static final String CONSUMER = "chat-transcript";

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
    TaskStatusService statuses;

    @Inject
    MessageSizeCap sizeCap;

    @Inject
    RelayMetrics relay;

    /** 404 when the session does not exist or is another user's. */
    public Uni<MessagePage> page(AuthenticatedUser user, String sessionId, long afterSeq, int limit) {
        return Panache.withSession(() -> projects.visibleSession(user, sessionId)
            .flatMap(session -> repository.messagesAfter(sessionId, afterSeq, limit)
                .map(messages -> new MessagePage(sessionId, session.taskId,
                    messages.stream().map(TranscriptService::view).toList(),
                    messages.isEmpty() ? afterSeq : messages.get(messages.size() - 1).seq))));
    }

    public Uni<Void> applyAgentOutput(Envelope event) {
        return transactions.applyOnce(CONSUMER, event, () -> outputWork(event, new Fold()))
            .invoke(session -> {
                if (session != null) {
                    relay.applied(event);
                }
                changes.changed(session);
            }).replaceWithVoid();
    }

    /**
     * Applies a burst of agent output (consecutive records of one Kafka poll) in one transaction, in order, each
     * once: one commit and one write of each changed message for the burst, however many chunks it holds. When the
     * burst cannot commit, its events are applied one by one instead, so one bad event fails alone.
     */
    public Uni<Void> applyAgentOutputs(List<Envelope> events) {
        return transactions.applyAllOnce(CONSUMER, events, () -> {
                Fold fold = new Fold();
                return event -> outputWork(event, fold);
            })
            .invoke(sessions -> {
                for (int i = 0; i < sessions.size(); i++) {
                    if (sessions.get(i) != null) {
                        relay.applied(events.get(i));
                    }
                }
                sessions.stream().filter(Objects::nonNull).distinct().forEach(changes::changed);
            })
            .replaceWithVoid();
    }

    /** What one transaction has folded so far: per session, the text message the last chunk went to. */
    private static final class Fold {
        private final Map<String, ChatMessage> lastText = new HashMap<>();
    }

    private Uni<Outcome<String>> outputWork(Envelope event, Fold fold) {
        AgentOutput output = event.payload(AgentOutput.class);
        return repository.taskForUpdate(event.taskId()).flatMap(task -> {
            if (task == null) {
                LOG.warnf("output for unknown task %s dropped", event.taskId());
                return Uni.createFrom().<String>nullItem();
            }
            return repository.find(AgentStream.class, task.id).flatMap(stream -> {
                if (stream != null && output.agentSessionId().equals(stream.agentSessionId)
                    && output.sequence() <= stream.lastSequence) {
                    LOG.debugf("task %s: output %d already stored", task.id, output.sequence());
                    return Uni.createFrom().<String>nullItem();
                }
                Uni<AgentStream> tracked = stream != null ? Uni.createFrom().item(stream)
                    : repository.persist(newStream(task.id, output.agentSessionId()));
                return tracked.flatMap(s -> {
                    s.agentSessionId = output.agentSessionId();
                    s.lastSequence = output.sequence();
                    return repository.find(ChatSession.class, task.sessionId);
                }).flatMap(session -> fold(session, output, fold)
                    // A turn_ended that waited for this output is shown now, in the same transaction.
                    .flatMap(v -> statuses.releaseIfReached(task, output.sequence()))
                    .replaceWith(session.id));
            });
        }).map(changedSession -> Outcome.of(changedSession, List.of()));
    }

    private static AgentStream newStream(String taskId, String agentSessionId) {
        AgentStream stream = new AgentStream();
        stream.taskId = taskId;
        stream.agentSessionId = agentSessionId;
        return stream;
    }

    public Uni<Void> applyTurnEnded(Envelope event) {
        AgentTurnEnded ended = event.payload(AgentTurnEnded.class);
        return transactions.applyOnce(CONSUMER, event, () -> repository.find(Task.class, event.taskId()).flatMap(task -> {
            if (task == null) {
                return Uni.createFrom().<String>nullItem();
            }
            LOG.infof("task %s: turn ended (%s) after output %d", task.id, ended.stopReason(), ended.lastSequence());
            return repository.find(ChatSession.class, task.sessionId)
                .flatMap(session -> closeOpenMessages(session)
                    .flatMap(v -> permissions.expirePending(session))
                    .replaceWith(session.id));
        }).map(changedSession -> Outcome.of(changedSession, List.of())))
            .invoke(changes::changed).replaceWithVoid();
    }

    private Uni<Void> fold(ChatSession session, AgentOutput output, Fold fold) {
        JsonNode update = output.update();
        switch (output.kind()) {
            case "agent_message_chunk":
                return appendText(session, "assistant", output, text(update.path("content")), fold);
            case "agent_thought_chunk":
                return appendText(session, "thinking", output, text(update.path("content")), fold);
            default:
                fold.lastText.remove(session.id);
                return foldStructured(session, output);
        }
    }

    private Uni<Void> foldStructured(ChatSession session, AgentOutput output) {
        JsonNode update = output.update();
        switch (output.kind()) {
            case "tool_call":
                return closeOpenMessages(session).flatMap(v -> addStructured(session, "tool", output,
                    update.path("toolCallId").asText(null), update.path("title").asText("")));
            case "tool_call_update":
                return updateToolCall(session, output);
            case "plan":
                return closeOpenMessages(session).flatMap(v -> addStructured(session, "plan", output, null,
                    planText(update)));
            case "session_info_update":
                return ModelRetryNotice.of(update).map(line -> noteModelRetry(session, output, line))
                    .orElseGet(() -> Uni.createFrom().voidItem());
            default:
                LOG.debugf("session %s: %s not shown in chat", session.id, output.kind());
                return Uni.createFrom().voidItem();
        }
    }

    private Uni<Void> appendText(ChatSession session, String role, AgentOutput output, String text, Fold fold) {
        String messageId = output.update().path("messageId").asText(null);
        // The message the previous chunk of this transaction went to is still the newest one (nothing else writes
        // the session meanwhile: the task's row is locked); no query, so no flush of the growing text per chunk.
        ChatMessage folded = fold.lastText.get(session.id);
        Uni<ChatMessage> newest = folded != null ? Uni.createFrom().item(folded)
            : repository.lastMessageExceptSystem(session.id);
        // System lines do not interrupt the agent's text: the status consumer may add "The task was cancelled."
        // (and close the message) before this consumer has folded the last chunks the agent sent before it stopped.
        // A chunk that names its message continues it even then; one without a message id only an open message.
        return newest.flatMap(last -> {
            if (last != null && role.equals(last.role) && output.agentSessionId().equals(last.agentSessionId)
                && Objects.equals(messageId, last.agentMessageId) && (messageId != null || !last.complete)) {
                last.content = sizeCap.append(last.content, text);
                last.lastAgentSequence = output.sequence();
                last.changedIn(session);
                fold.lastText.put(session.id, last);
                return Uni.createFrom().voidItem();
            }
            return closeOpenMessages(session).flatMap(v -> {
                ChatMessage message = newMessage(session, role, output);
                message.content = sizeCap.append("", text);
                message.agentMessageId = messageId;
                message.complete = false;
                fold.lastText.put(session.id, message);
                return repository.persist(message).replaceWithVoid();
            });
        });
    }

    private Uni<Void> addStructured(ChatSession session, String role, AgentOutput output, String toolCallId,
                                    String content) {
        ChatMessage message = newMessage(session, role, output);
        message.toolCallId = toolCallId;
        message.content = content;
        message.data = write(output.update());
        message.complete = true;
        return repository.persist(message).replaceWithVoid();
    }

    /**
     * One system line per run of retries: the next attempt updates the line before it (when nothing came between),
     * so "attempt 3 of 10" replaces "attempt 2 of 10". The agent's open text stays open (the line is a side note).
     */
    private Uni<Void> noteModelRetry(ChatSession session, AgentOutput output, String line) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("kind", ModelRetryNotice.KIND);
        return repository.lastMessage(session.id).flatMap(last -> {
            if (last != null && "system".equals(last.role) && output.agentSessionId().equals(last.agentSessionId)
                && last.data != null && last.data.contains("\"" + ModelRetryNotice.KIND + "\"")) {
                last.content = line;
                last.lastAgentSequence = output.sequence();
                last.changedIn(session);
                return Uni.createFrom().voidItem();
            }
            ChatMessage message = newMessage(session, "system", output);
            message.content = line;
            message.data = write(data);
            message.complete = true;
            return repository.persist(message).replaceWithVoid();
        });
    }

    private Uni<Void> updateToolCall(ChatSession session, AgentOutput output) {
        String toolCallId = output.update().path("toolCallId").asText(null);
        return repository.toolCall(session.id, toolCallId).flatMap(message -> {
            if (message == null) {
                return closeOpenMessages(session).flatMap(v -> addStructured(session, "tool", output, toolCallId,
                    output.update().path("title").asText("")));
            }
            ObjectNode merged = (ObjectNode) read(message.data);
            output.update().fields().forEachRemaining(field -> {
                if (!"sessionUpdate".equals(field.getKey()) && !field.getValue().isNull()) {
                    merged.set(field.getKey(), field.getValue());
                }
            });
            message.data = write(merged);
            message.content = merged.path("title").asText(message.content);
            message.lastAgentSequence = output.sequence();
            message.changedIn(session);
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> closeOpenMessages(ChatSession session) {
        return repository.openMessages(session.id).flatMap(open -> {
            open.forEach(m -> {
                m.complete = true;
                m.changedIn(session);
            });
            return Uni.createFrom().voidItem();
        });
    }

    private static ChatMessage newMessage(ChatSession session, String role, AgentOutput output) {
        ChatMessage message = new ChatMessage();
        message.sessionId = session.id;
        message.seq = ++session.lastMessageSeq;
        message.role = role;
        message.agentSessionId = output.agentSessionId();
        message.lastAgentSequence = output.sequence();
        return message.changedIn(session);
    }

    /** The text of an ACP content block; other block types are named in brackets. */
    static String text(JsonNode content) {
        if ("text".equals(content.path("type").asText())) {
            return content.path("text").asText("");
        }
        return content.isMissingNode() ? "" : "[" + content.path("type").asText("content") + "]";
    }

    static String planText(JsonNode plan) {
        StringBuilder text = new StringBuilder();
        for (JsonNode entry : plan.path("entries")) {
            text.append("completed".equals(entry.path("status").asText()) ? "[x] " : "[ ] ")
                .append(entry.path("content").asText()).append('\n');
        }
        return text.toString().strip();
    }

    public static MessageView view(ChatMessage m) {
        return new MessageView(m.seq, m.revision, m.role, m.content, m.data == null ? null : read(m.data),
            m.toolCallId, m.complete, m.createdAt, m.updatedAt);
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
