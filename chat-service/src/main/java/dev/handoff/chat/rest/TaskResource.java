package dev.handoff.chat.rest;

import dev.handoff.chat.service.TaskCancelService;
import dev.handoff.chat.service.TaskStatusService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;

/** A task's status and timeline, as the user sees them; the user's cancel. */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    /** One step of the task; {@code nodeId} names the node it happened on, when known. */
    public record TimelineStep(String status, String event, String detail, String nodeId, Instant at) {
    }

    public record TaskView(String taskId, String projectId, String sessionId, String agent, String status,
                           String stopReason, String failureReason, Instant createdAt, Instant updatedAt,
                           List<TimelineStep> timeline) {
    }

    @Inject
    TaskStatusService statuses;

    @Inject
    TaskCancelService cancels;

    @GET
    @Path("{id}")
    public Uni<TaskView> get(@PathParam("id") String id) {
        return statuses.view(id);
    }

    /**
     * Asks to cancel the task: 202 with the task's view (the status turns cancelling, then cancelled, as the
     * orchestrator reports); 404 for an unknown task; 409 when the task already ended.
     */
    @POST
    @Path("{id}/cancel")
    public Uni<Response> cancel(@PathParam("id") String id) {
        return cancels.requestCancel(id).map(view -> Response.accepted(view).build());
    }
}
