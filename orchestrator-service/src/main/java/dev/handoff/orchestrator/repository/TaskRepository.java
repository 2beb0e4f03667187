package dev.handoff.orchestrator.repository;

import dev.handoff.contracts.vocabulary.TaskStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Saga rows and their transitions. */
@ApplicationScoped
public class TaskRepository implements PanacheRepositoryBase<TaskRecord, String> {

    public Uni<List<TaskTransition>> transitionsOf(String taskId) {
        return getSession().flatMap(session -> session
            .createQuery("from TaskTransition where taskId = ?1 order by id", TaskTransition.class)
            .setParameter(1, taskId)
            .getResultList());
    }

    /** Tasks something is under way for (not ended, not idle between turns). */
    public Uni<List<TaskRecord>> inFlight() {
        return getSession().flatMap(session -> session
            .createQuery("from TaskRecord where status in ?1", TaskRecord.class)
            .setParameter(1, java.util.Arrays.stream(TaskStatus.values()).filter(TaskStatus::isInFlight).toList())
            .getResultList());
    }

    /** Tasks a deadline applies to. */
    public Uni<List<TaskRecord>> withDeadlines() {
        return getSession().flatMap(session -> session
            .createQuery("from TaskRecord where status in ?1", TaskRecord.class)
            .setParameter(1, java.util.Arrays.stream(TaskStatus.values()).filter(TaskStatus::hasDeadline).toList())
            .getResultList());
    }

    /** How many tasks are in each status now (statuses without a task left out). */
    public Uni<java.util.Map<TaskStatus, Long>> countByStatus() {
        return getSession().flatMap(session -> session
            .createSelectionQuery("select status, count(*) from TaskRecord group by status", Object[].class)
            .getResultList())
            .map(rows -> {
                java.util.Map<TaskStatus, Long> counts = new java.util.EnumMap<>(TaskStatus.class);
                for (Object[] row : rows) {
                    counts.put((TaskStatus) row[0], ((Number) row[1]).longValue());
                }
                return counts;
            });
    }

    public Uni<TaskTransition> record(TaskTransition transition) {
        return getSession().flatMap(session -> session.persist(transition).replaceWith(transition));
    }
}
