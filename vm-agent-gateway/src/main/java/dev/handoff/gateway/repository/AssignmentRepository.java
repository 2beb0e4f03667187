package dev.handoff.gateway.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Routed commands and the task assignments they make. */
@ApplicationScoped
public class AssignmentRepository {

    public Uni<RoutedCommand> command(String commandId) {
        return Panache.getSession().flatMap(s -> s.find(RoutedCommand.class, commandId));
    }

    public Uni<TaskAssignment> assignmentOf(String taskId) {
        return Panache.getSession().flatMap(s -> s.find(TaskAssignment.class, taskId));
    }

    public <T> Uni<T> persist(T entity) {
        return Panache.getSession().flatMap(s -> s.persist(entity).replaceWith(entity));
    }
}
