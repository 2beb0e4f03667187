package dev.handoff.chat.rest;

import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.service.PermissionService;
import dev.handoff.chat.client.ProvisionerNodes;
import dev.handoff.chat.client.TaskNodeView;
import dev.handoff.chat.service.TaskCancelService;
import dev.handoff.chat.service.TaskStatusService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

    /**
     * {@code branch}, {@code commit}, {@code pullRequestUrl}, {@code publishResult}: null until a turn published.
     * {@code node}: the node the task got and its cost for the task, when the provisioner can tell.
     */
    public record TaskView(String taskId, String projectId, String sessionId, String agent, String status,
                           String stopReason, String failureReason, Instant createdAt, Instant updatedAt,
                           List<TimelineStep> timeline, String branch, String commit, String pullRequestUrl,
                           String publishResult, TaskNodeView node) {

        public TaskView withNode(TaskNodeView taskNode) {
            return new TaskView(taskId, projectId, sessionId, agent, status, stopReason, failureReason, createdAt,
                updatedAt, timeline, branch, commit, pullRequestUrl, publishResult, taskNode);
        }
    }

    public record PermissionAnswerRequest(String optionId) {
    }

    public record PermissionAnswerAccepted(String taskId, String requestId, String optionId, String state) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    TaskStatusService statuses;

    @Inject
    PermissionService permissions;

    @Inject
    TaskCancelService cancels;

    @Inject
    ProvisionerNodes provisioner;

    @GET
    @Path("{id}")
    public Uni<TaskView> get(@PathParam("id") String id) {
        return statuses.view(currentUser.get(), id).flatMap(view -> provisioner.nodeOfTask(id).map(view::withNode));
    }

    /**
     * Asks to cancel the task: 202 with the task's view (the status turns cancelling, then cancelled, as the
     * orchestrator reports); 404 for an unknown task; 409 when the task already ended.
     */
    @POST
    @Path("{id}/cancel")
    public Uni<Response> cancel(@PathParam("id") String id) {
        return cancels.requestCancel(currentUser.get(), id).map(view -> Response.accepted(view).build());
    }

    /**
     * The user's answer to the agent's permission request: 202 once stored with PermissionAnswered; 400 naming
     * {@code optionId} when it is not one of the request's options; 404 for an unknown task or request; 409 when
     * the request was already answered or expired.
     */
    @POST
    @Path("{id}/permissions/{requestId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> answerPermission(@PathParam("id") String id, @PathParam("requestId") String requestId,
                                          PermissionAnswerRequest request) {
        return permissions.answer(currentUser.get(), id, requestId, request).map(accepted -> Response.accepted(accepted).build());
    }
}
