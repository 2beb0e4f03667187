package dev.handoff.chat.rest;

import dev.handoff.chat.service.TaskStatusService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** A task's status and timeline, as the user sees them. */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    public record TimelineStep(String status, String event, String detail, Instant at) {
    }

    public record TaskView(String taskId, String projectId, String sessionId, String agent, String status,
                           String stopReason, String failureReason, Instant createdAt, Instant updatedAt,
                           List<TimelineStep> timeline) {
    }

    @Inject
    TaskStatusService statuses;

    @GET
    @Path("{id}")
    public Uni<TaskView> get(@PathParam("id") String id) {
        return statuses.view(id);
    }
}
