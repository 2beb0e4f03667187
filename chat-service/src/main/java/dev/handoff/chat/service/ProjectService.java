package dev.handoff.chat.service;

import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.PermissionPolicies;
import dev.handoff.chat.repository.Project;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.ProjectResource.CreateProjectRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.UUID;

/**
 * Creates and reads projects, and holds the ownership rule: a project belongs to the user who created it, and its
 * sessions and tasks with it. {@link #ownedBy}, {@link #ownedTask} and {@link #ownedSession} answer 404 (the same
 * as for an id that does not exist) for anything of another user.
 */
@ApplicationScoped
public class ProjectService {

    static final String DEFAULT_BRANCH = "main";

    @Inject
    ChatRepository repository;

    @Inject
    AgentCatalog agents;

    @Inject
    ProjectsConfig config;

    public Uni<Project> create(AuthenticatedUser owner, CreateProjectRequest request) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with name and repositoryUrl is required");
        }
        Project project = new Project();
        project.id = UUID.randomUUID().toString();
        project.name = Validation.requireText("name", request.name(), 200);
        project.repositoryUrl = Validation.requireRepositoryUrl("repositoryUrl", request.repositoryUrl(),
            config.allowFileUrls());
        project.defaultBranch = request.defaultBranch() == null
            ? DEFAULT_BRANCH : Validation.requireBranch("defaultBranch", request.defaultBranch());
        project.defaultAgent = request.defaultAgent() == null
            ? agents.defaultAgent() : agents.require("defaultAgent", request.defaultAgent());
        project.permissionPolicy = request.permissionPolicy() == null ? PermissionPolicies.ALLOW
            : Validation.requireOneOf("permissionPolicy", request.permissionPolicy(), PermissionPolicies.ALL);
        project.createdAt = Instant.now();
        project.ownerId = owner.id();
        return Panache.withTransaction(() -> repository.persist(project));
    }

    /** The user's project; 404 when it does not exist or is another user's. Joins a running session if any. */
    public Uni<Project> ownedBy(AuthenticatedUser user, String projectId) {
        return Panache.withSession(() -> repository.find(Project.class, projectId))
            .map(project -> project != null && user.id().equals(project.ownerId) ? project : null)
            .onItem().ifNull().failWith(() -> ApiException.notFound("no project " + projectId));
    }

    /** The user's task (of one of their projects); 404 otherwise. */
    public Uni<Task> ownedTask(AuthenticatedUser user, String taskId) {
        return Panache.withSession(() -> repository.ownedTask(taskId, user.id()))
            .onItem().ifNull().failWith(() -> ApiException.notFound("no task " + taskId));
    }

    /** The user's chat session (of one of their projects); 404 otherwise. */
    public Uni<ChatSession> ownedSession(AuthenticatedUser user, String sessionId) {
        return Panache.withSession(() -> repository.ownedSession(sessionId, user.id()))
            .onItem().ifNull().failWith(() -> ApiException.notFound("no session " + sessionId));
    }
}
