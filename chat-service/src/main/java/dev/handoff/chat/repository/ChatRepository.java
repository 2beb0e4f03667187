package dev.handoff.chat.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
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

    /**
     * The task, its row locked until the transaction ends: the status and the output of one task, which arrive on
     * different topics, are applied one after the other.
     */
    public Uni<Task> taskForUpdate(String taskId) {
        return session().flatMap(s -> s.find(Task.class, taskId, LockModeType.PESSIMISTIC_WRITE));
    }

    /**
     * {@code task} (already loaded) read again with its row locked until the transaction ends, as
     * {@link #taskForUpdate} does: for a request that changes the task and then other rows of its chat, so it takes
     * the locks in the consumers' order (the task's row first) and never deadlocks with them.
     */
    public Uni<Task> lockAgain(Task task) {
        return session().flatMap(s -> s.refresh(task, LockModeType.PESSIMISTIC_WRITE)).replaceWith(task);
    }

    /** Tasks whose held turn_ended status has waited since before {@code since}. */
    public Uni<List<String>> tasksHeldSince(java.time.Instant since) {
        return session().flatMap(s -> s.createQuery("select id from Task where heldSince < ?1", String.class)
            .setParameter(1, since).setMaxResults(100).getResultList());
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

    /**
     * Who may see project {@code p} (HQL over alias {@code p}, user as parameter {@code :user}): its creator while it
     * is personal, and every member of its team while it belongs to one. Membership is read on every request, so a
     * member removed from a team loses the team's projects at once.
     */
    static final String VISIBLE_TO_USER = "((p.teamId is null and p.ownerId = :user) or exists (select m.id from"
        + " TeamMember m where m.teamId = p.teamId and m.userId = :user))";

    /** The projects {@code userId} sees (their own and their teams'), newest first. */
    public Uni<List<Project>> projectsVisibleTo(String userId) {
        return session().flatMap(s -> s.createQuery("select p from Project p where " + VISIBLE_TO_USER
                + " order by p.createdAt desc", Project.class)
            .setParameter("user", userId).getResultList());
    }

    /** The project, when {@code userId} may see it; else null. */
    public Uni<Project> visibleProject(String projectId, String userId) {
        return session().flatMap(s -> s.createQuery("select p from Project p where p.id = :id and "
                + VISIBLE_TO_USER, Project.class)
            .setParameter("id", projectId).setParameter("user", userId).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
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

    /** The task, when {@code userId} may see its project; else null. */
    public Uni<Task> visibleTask(String taskId, String userId) {
        return session().flatMap(s -> s.createQuery("select t from Task t, Project p"
                + " where t.id = :id and p.id = t.projectId and " + VISIBLE_TO_USER, Task.class)
            .setParameter("id", taskId).setParameter("user", userId).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The chat session, when {@code userId} may see its project; else null. */
    public Uni<ChatSession> visibleSession(String sessionId, String userId) {
        return session().flatMap(s -> s.createQuery("select c from ChatSession c, Project p"
                + " where c.id = :id and p.id = c.projectId and " + VISIBLE_TO_USER, ChatSession.class)
            .setParameter("id", sessionId).setParameter("user", userId).getResultList())
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
