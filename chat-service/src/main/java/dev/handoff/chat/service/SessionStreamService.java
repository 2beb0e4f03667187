package dev.handoff.chat.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.chat.api.MessageAppend;
import dev.handoff.chat.repository.ChatMessage;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.rest.TaskResource.TaskView;
import dev.handoff.chat.service.SessionChanges.Doorbell;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The live stream of a chat session, read from the database so any chat-service instance can serve it: first
 * every message changed after the client's revision, then, round after round, the messages whose revision is
 * newer than the last one sent, and the session's task view whenever it differs from the one sent before. A round
 * starts when this instance committed a change to the session ({@link SessionChanges}) or after the poll interval.
 * Each round first checks that the user may still see the session: a member removed from the project's team has
 * their open streams ended within one round.
 */
@ApplicationScoped
public class SessionStreamService {

    /**
     * One event for the client: {@code message} (id = revision), {@code append} (id = revision, {@link MessageAppend}),
     * {@code task}, or a keep-alive (null name).
     */
    public record StreamEvent(String name, Long id, String json) {
        static StreamEvent keepAlive() {
            return new StreamEvent(null, null, null);
        }
    }

    @Inject
    ChatRepository repository;

    @Inject
    TaskStatusService statuses;

    @Inject
    SessionChanges changes;

    @Inject
    StreamConfig config;

    @Inject
    ObjectMapper json;

    /** Where one client's stream stands; used by one round at a time. */
    private static final class Cursor implements AutoCloseable {
        final Doorbell doorbell;
        long revision;
        boolean readAtOnce = true;
        String lastTaskJson;
        long lastSentAt = System.nanoTime();
        /** Per agent text message (assistant, thinking) sent on this connection: the length of text sent. */
        final Map<Long, Integer> textSent = new HashMap<>();

        Cursor(Doorbell doorbell, long revision) {
            this.doorbell = doorbell;
            this.revision = revision;
        }

        @Override
        public void close() {
            doorbell.close();
        }
    }

    private record Round(List<ChatMessage> messages, Task task) {
    }

    /** What one round sends; {@code accessEnded}: the user may no longer see the session, the stream ends. */
    private record Sent(List<StreamEvent> events, boolean accessEnded) {
        static final Sent ACCESS_ENDED = new Sent(List.of(), true);
    }

    /**
     * The session's events from {@code afterRevision} on, while {@code userId} may see it; the caller checked that
     * the session exists.
     */
    public Multi<StreamEvent> events(String userId, String sessionId, long afterRevision) {
        Context context = Vertx.currentContext();
        Executor onContext = command -> context.runOnContext(v -> command.run());
        return Multi.createFrom()
            .resource(() -> new Cursor(changes.doorbell(sessionId), afterRevision),
                cursor -> Multi.createBy().repeating().uni(() -> round(userId, sessionId, cursor, onContext))
                    .until(Sent::accessEnded)
                    .onItem().transformToIterable(Sent::events))
            .withFinalizer(Cursor::close);
    }

    private Uni<Sent> round(String userId, String sessionId, Cursor cursor, Executor onContext) {
        Uni<Void> start = cursor.readAtOnce ? Uni.createFrom().voidItem()
            : cursor.doorbell.next(config.pollInterval()).emitOn(onContext);
        return start.flatMap(v -> Panache.withSession(() -> repository.visibleSession(sessionId, userId)
                .flatMap(visible -> visible == null ? Uni.createFrom().<Round>nullItem() : repository
                    .messagesChangedAfter(sessionId, cursor.revision, config.batchSize())
                    .flatMap(messages -> repository.latestTask(sessionId).map(task -> new Round(messages, task))))))
            .flatMap(round -> round == null ? Uni.createFrom().item(Sent.ACCESS_ENDED)
                : round.task() == null ? Uni.createFrom().item(new Sent(events(cursor, round, null), false))
                : statuses.view(round.task().id).map(view -> new Sent(events(cursor, round, view), false)));
    }

    private List<StreamEvent> events(Cursor cursor, Round round, TaskView task) {
        List<StreamEvent> events = new ArrayList<>();
        if (task != null) {
            String taskJson = write(task);
            if (!taskJson.equals(cursor.lastTaskJson)) {
                cursor.lastTaskJson = taskJson;
                events.add(new StreamEvent("task", null, taskJson));
            }
        }
        for (ChatMessage message : round.messages()) {
            events.add(messageEvent(cursor, message));
            cursor.revision = message.revision;
        }
        cursor.readAtOnce = round.messages().size() >= config.batchSize();
        long now = System.nanoTime();
        if (!events.isEmpty()) {
            cursor.lastSentAt = now;
        } else if (now - cursor.lastSentAt >= config.keepAlive().toNanos()) {
            cursor.lastSentAt = now;
            events.add(StreamEvent.keepAlive());
        }
        return events;
    }

    /**
     * The whole message the first time this connection sends it; after that, for the agent's text (which only
     * grows), only the text added since ({@code append}).
     */
    private StreamEvent messageEvent(Cursor cursor, ChatMessage message) {
        boolean text = TEXT_ROLES.contains(message.role) && message.content != null;
        Integer sent = text ? cursor.textSent.put(message.seq, message.content.length()) : null;
        if (sent != null && message.content.length() >= sent) {
            return new StreamEvent("append", message.revision, write(new MessageAppend(message.seq, message.revision,
                message.role, sent, message.content.substring(sent), message.complete, message.updatedAt)));
        }
        return new StreamEvent("message", message.revision, write(TranscriptService.view(message)));
    }

    /** The roles whose content only ever grows (TranscriptService.appendText). */
    private static final Set<String> TEXT_ROLES = Set.of("assistant", "thinking");

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
