package dev.handoff.chat.rest;

import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.repository.Project;
import dev.handoff.chat.service.ProjectService;
import dev.handoff.chat.service.TaskSubmissionService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Projects (create, list, read, edit), their chat sessions, and the task submit endpoint. */
@Path("/api/projects")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

    /**
     * {@code permissionPolicy}: {@code allow} (default) or {@code ask}. {@code teamId}: the team the project belongs
     * to (the caller must be a member); on edit, moves a personal project into that team. {@code defaultNodeSize}:
     * {@code small} (default), {@code medium} or {@code large}.
     */
    public record CreateProjectRequest(String name, String repositoryUrl, String defaultBranch, String defaultAgent,
                                       String permissionPolicy, String teamId, String defaultNodeSize) {
    }

    /**
     * A project as the caller sees it: {@code teamId}/{@code teamName} null for a personal project,
     * {@code createdBy} the creator's user id, {@code editable} whether the caller may edit it.
     */
    public record ProjectView(String id, String name, String repositoryUrl, String defaultBranch, String defaultAgent,
                              Instant createdAt, String permissionPolicy, String teamId, String teamName,
                              String createdBy, boolean editable, String defaultNodeSize) {
        public static ProjectView of(Project p, String teamName, boolean editable) {
            return new ProjectView(p.id, p.name, p.repositoryUrl, p.defaultBranch, p.defaultAgent, p.createdAt,
                p.effectivePermissionPolicy(), p.teamId, teamName, p.ownerId, editable, p.effectiveNodeSize());
        }
    }

    /** One chat session in a project's list; {@code status} is its task's. */
    public record SessionSummary(String id, String taskId, String topic, String status, Instant createdAt) {
    }

    public record SubmitTaskRequest(String description, String agent) {
    }

    public record TaskAccepted(String taskId, String sessionId, String status) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    ProjectService projects;

    @Inject
    TaskSubmissionService submissions;

    @POST
    public Uni<Response> create(CreateProjectRequest request) {
        return projects.create(currentUser.get(), request)
            .map(project -> Response.created(URI.create("/api/projects/" + project.id())).entity(project).build());
    }

    @GET
    public Uni<List<ProjectView>> list() {
        return projects.list(currentUser.get());
    }

    @GET
    @Path("{id}")
    public Uni<ProjectView> get(@PathParam("id") String id) {
        return projects.view(currentUser.get(), id);
    }

    /** Edits name, repositoryUrl, defaultBranch, defaultAgent, permissionPolicy, defaultNodeSize, validated like create; teamId moves
     * a personal project into a team. */
    @PUT
    @Path("{id}")
    public Uni<ProjectView> update(@PathParam("id") String id, CreateProjectRequest request) {
        return projects.update(currentUser.get(), id, request);
    }

    /** The project's chat sessions, newest first. */
    @GET
    @Path("{id}/sessions")
    public Uni<List<SessionSummary>> sessions(@PathParam("id") String id) {
        return projects.sessions(currentUser.get(), id);
    }

    /** Accepts a task: stored as the first message of a new chat session, then TaskCreated is published. */
    @POST
    @Path("{id}/tasks")
    public Uni<Response> submitTask(@PathParam("id") String projectId, SubmitTaskRequest request) {
        return submissions.submit(currentUser.get(), projectId, request).map(accepted -> Response.accepted(accepted)
            .location(URI.create("/api/tasks/" + accepted.taskId())).build());
    }
}
