package dev.handoff.chat.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;

/** Queries over projects, sessions, messages, tasks and their timelines. */
@ApplicationScoped
public class ChatRepository {

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }

    public <T> Uni<T> find(Class<T> type, Object id) {
        return session().flatMap(s -> s.find(type, id));
    }

    public <T> Uni<T> persist(T entity) {
        return session().flatMap(s -> s.persist(entity).replaceWith(entity));
    }

    public Uni<List<ChatMessage>> messagesAfter(String sessionId, long afterSeq, int limit) {
        return session().flatMap(s -> s
            .createQuery("from ChatMessage where sessionId = ?1 and seq > ?2 order by seq", ChatMessage.class)
            .setParameter(1, sessionId).setParameter(2, afterSeq).setMaxResults(limit).getResultList());
    }

    /** Messages created or changed after {@code afterRevision}, in revision order. */
    public Uni<List<ChatMessage>> messagesChangedAfter(String sessionId, long afterRevision, int limit) {
        return session().flatMap(s -> s
            .createQuery("from ChatMessage where sessionId = ?1 and revision > ?2 order by revision", ChatMessage.class)
            .setParameter(1, sessionId).setParameter(2, afterRevision).setMaxResults(limit).getResultList());
    }

    /** The newest task of a session (a session has one today; follow-ups may add more). */
    public Uni<Task> latestTask(String sessionId) {
        return session().flatMap(s -> s
            .createQuery("from Task where sessionId = ?1 order by createdAt desc", Task.class)
            .setParameter(1, sessionId).setMaxResults(1).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The projects of {@code ownerId}, newest first. */
    public Uni<List<Project>> projectsOf(String ownerId) {
        return session().flatMap(s -> s.createQuery("from Project where ownerId = ?1 order by createdAt desc",
                Project.class)
            .setParameter(1, ownerId).getResultList());
    }

    /** A project's sessions, newest first, each with its task (null when missing). */
    public Uni<List<Object[]>> sessionsWithTasks(String projectId) {
        return session().flatMap(s -> s
            .createQuery("select s, t from ChatSession s left join Task t on t.id = s.taskId"
                + " where s.projectId = ?1 order by s.createdAt desc", Object[].class)
            .setParameter(1, projectId).getResultList());
    }

    public Uni<ChatMessage> lastMessage(String sessionId) {
        return session().flatMap(s -> s
            .createQuery("from ChatMessage where sessionId = ?1 order by seq desc", ChatMessage.class)
            .setParameter(1, sessionId).setMaxResults(1).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The newest message that is not a system line, or null. */
    public Uni<ChatMessage> lastMessageExceptSystem(String sessionId) {
        return session().flatMap(s -> s
            .createQuery("from ChatMessage where sessionId = ?1 and role <> 'system' order by seq desc",
                ChatMessage.class)
            .setParameter(1, sessionId).setMaxResults(1).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<ChatMessage> toolCall(String sessionId, String toolCallId) {
        return session().flatMap(s -> s
            .createQuery("from ChatMessage where sessionId = ?1 and toolCallId = ?2 order by seq desc",
                ChatMessage.class)
            .setParameter(1, sessionId).setParameter(2, toolCallId).setMaxResults(1).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<List<ChatMessage>> openMessages(String sessionId) {
        return session().flatMap(s -> s
            .createQuery("from ChatMessage where sessionId = ?1 and complete = false", ChatMessage.class)
            .setParameter(1, sessionId).getResultList());
    }

    /** The task, when it belongs to a project of {@code userId}; else null. */
    public Uni<Task> ownedTask(String taskId, String userId) {
        return session().flatMap(s -> s.createQuery("select t from Task t, Project p"
                + " where t.id = ?1 and p.id = t.projectId and p.ownerId = ?2", Task.class)
            .setParameter(1, taskId).setParameter(2, userId).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The chat session, when it belongs to a project of {@code userId}; else null. */
    public Uni<ChatSession> ownedSession(String sessionId, String userId) {
        return session().flatMap(s -> s.createQuery("select c from ChatSession c, Project p"
                + " where c.id = ?1 and p.id = c.projectId and p.ownerId = ?2", ChatSession.class)
            .setParameter(1, sessionId).setParameter(2, userId).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<ChatMessage> permissionRequest(String sessionId, String requestId) {
        return session().flatMap(s -> s
            .createQuery("from ChatMessage where sessionId = ?1 and permissionRequestId = ?2", ChatMessage.class)
            .setParameter(1, sessionId).setParameter(2, requestId).setMaxResults(1).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<List<ChatMessage>> permissionRequests(String sessionId) {
        return session().flatMap(s -> s
            .createQuery("from ChatMessage where sessionId = ?1 and permissionRequestId is not null",
                ChatMessage.class)
            .setParameter(1, sessionId).getResultList());
    }

    public Uni<List<TimelineEntry>> timeline(String taskId) {
        return session().flatMap(s -> s
            .createQuery("from TimelineEntry where taskId = ?1 order by at, id", TimelineEntry.class)
            .setParameter(1, taskId).getResultList());
    }
}
