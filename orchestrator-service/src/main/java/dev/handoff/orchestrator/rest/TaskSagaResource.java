package dev.handoff.orchestrator.rest;

import dev.handoff.orchestrator.repository.TaskRepository;
import dev.handoff.orchestrator.repository.TaskTransition;
import dev.handoff.servicekit.internal.InternalApi;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** Operators' view of a task's saga: its status and every recorded transition. */
@InternalApi
@Path("/api/saga/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskSagaResource {

    public record TransitionView(String from, String to, String causeEventType, String causeEventId, String note,
                                 Instant at) {
    }

    /** {@code attempt}: the current step's attempt after a transient failure (0: first); {@code retryAt}: when due. */
    public record SagaView(String taskId, String status, String nodeId, String workspaceId, String deliveryId,
                           String agentSessionId, String stopReason, String failureReason, int attempt,
                           Instant retryAt, List<TransitionView> transitions) {
    }

    /** A task still on its way: a step with a deadline is under way. */
    public record ActiveTaskView(String taskId, String status, String nodeId, Instant statusSince) {
    }

    @Inject
    TaskRepository tasks;

    /**
     * The tasks still in flight (every status with a deadline: queued up to running, stalled, cancelling); resting
     * tasks (turn ended, failed, cancelled) are not listed. {@code active=false} is refused: this is not a task
     * search.
     */
    @GET
    @WithSession
    public Uni<List<ActiveTaskView>> active(@QueryParam("active") String active) {
        if (!"true".equals(active)) {
            throw new BadRequestException("only ?active=true is supported: the tasks still in flight");
        }
        return tasks.inFlight().map(records -> records.stream()
            .map(t -> new ActiveTaskView(t.id, t.status.wireName(), t.nodeId, t.statusSince)).toList());
    }

    @GET
    @Path("{id}")
    @WithSession
    public Uni<SagaView> get(@PathParam("id") String id) {
        return tasks.findById(id)
            .onItem().ifNull().failWith(() -> new NotFoundException("no task " + id))
            .flatMap(task -> tasks.transitionsOf(id).map(transitions -> new SagaView(task.id,
                task.status.wireName(), task.nodeId, task.workspaceId, task.deliveryId, task.agentSessionId,
                task.stopReason, task.failureReason, task.attempt, task.retryAt, transitions.stream().map(TaskSagaResource::view).toList())));
    }

    private static TransitionView view(TaskTransition t) {
        return new TransitionView(t.fromStatus == null ? null : t.fromStatus.wireName(), t.toStatus.wireName(),
            t.causeEventType, t.causeEventId.toString(), t.note, t.at);
    }
}
