package dev.handoff.orchestrator.repository;

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

    public Uni<TaskTransition> record(TaskTransition transition) {
        return getSession().flatMap(session -> session.persist(transition).replaceWith(transition));
    }
}
