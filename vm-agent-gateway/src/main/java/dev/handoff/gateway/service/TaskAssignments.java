package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.gateway.repository.AssignmentRepository;
import dev.handoff.gateway.repository.RoutedCommand;
import dev.handoff.gateway.repository.TaskAssignment;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;

/**
 * Records, before a command's frame goes out, that the command was routed to its node and that the node now holds
 * the command's task. {@link ReportAuthority} judges the node's reports against these rows. Idempotent: a command
 * delivered again records nothing new.
 */
@ApplicationScoped
public class TaskAssignments {

    @Inject
    AssignmentRepository repository;

    @Inject
    EventTransactions transactions;

    public Uni<Void> recordRouted(Envelope command) {
        String commandId = command.eventId().toString();
        return transactions.commit(() -> repository.command(commandId).flatMap(known -> {
            Uni<?> routed = known != null ? Uni.createFrom().item(known) : repository.persist(routed(command));
            return routed.flatMap(r -> repository.assignmentOf(command.taskId()));
        }).flatMap(assignment -> {
            if (assignment == null) {
                TaskAssignment fresh = new TaskAssignment();
                fresh.taskId = command.taskId();
                fresh.nodeId = command.nodeId();
                fresh.commandId = commandId;
                fresh.assignedAt = Instant.now();
                return repository.persist(fresh).replaceWith(Outcome.none());
            }
            if (!assignment.commandId.equals(commandId)) {
                assignment.nodeId = command.nodeId();
                assignment.commandId = commandId;
                assignment.assignedAt = Instant.now();
            }
            return Uni.createFrom().item(Outcome.none());
        }));
    }

    private static RoutedCommand routed(Envelope command) {
        RoutedCommand routed = new RoutedCommand();
        routed.commandId = command.eventId().toString();
        routed.taskId = command.taskId();
        routed.nodeId = command.nodeId();
        routed.type = command.type();
        routed.traceparent = command.traceparent();
        routed.routedAt = Instant.now();
        return routed;
    }
}
