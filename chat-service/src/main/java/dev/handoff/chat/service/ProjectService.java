package dev.handoff.chat.service;

import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.PermissionPolicies;
import dev.handoff.chat.repository.Project;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.ProjectResource.CreateProjectRequest;
import dev.handoff.chat.rest.ProjectResource.SessionSummary;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Creates, lists, reads and edits projects, lists a project's chat sessions, and holds the ownership rule: a
 * project belongs to the user who created it, and its sessions and tasks with it. {@link #ownedBy},
 * {@link #ownedTask} and {@link #ownedSession} answer 404 (the same as for an id that does not exist) for anything
 * of another user.
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
        project.defaultBranch = DEFAULT_BRANCH;
        project.defaultAgent = agents.defaultAgent();
        project.permissionPolicy = PermissionPolicies.ALLOW;
        apply(request, project);
        project.createdAt = Instant.now();
        project.ownerId = owner.id();
        return Panache.withTransaction(() -> repository.persist(project));
    }

    /** Edits a project with the rules of create; a missing defaultBranch or defaultAgent keeps the current one. */
    public Uni<Project> update(AuthenticatedUser user, String id, CreateProjectRequest request) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with name and repositoryUrl is required");
        }
        Project edited = new Project();
        edited.defaultBranch = DEFAULT_BRANCH;
        edited.defaultAgent = agents.defaultAgent();
        apply(request, edited);
        return Panache.withTransaction(() -> repository.find(Project.class, id)
            .map(project -> project != null && user.id().equals(project.ownerId) ? project : null)
            .onItem().ifNull().failWith(() -> ApiException.notFound("no project " + id))
            .invoke(project -> {
                project.name = edited.name;
                project.repositoryUrl = edited.repositoryUrl;
                if (request.defaultBranch() != null) {
                    project.defaultBranch = edited.defaultBranch;
                }
                if (request.defaultAgent() != null) {
                    project.defaultAgent = edited.defaultAgent;
                }
                if (request.permissionPolicy() != null) {
                    project.permissionPolicy = edited.permissionPolicy;
                }
            }));
    }

    private void apply(CreateProjectRequest request, Project project) {
        project.name = Validation.requireText("name", request.name(), 200);
        project.repositoryUrl = Validation.requireRepositoryUrl("repositoryUrl", request.repositoryUrl(),
            config.allowFileUrls());
        if (request.defaultBranch() != null) {
            project.defaultBranch = Validation.requireBranch("defaultBranch", request.defaultBranch());
        }
        if (request.defaultAgent() != null) {
            project.defaultAgent = agents.require("defaultAgent", request.defaultAgent());
        }
        if (request.permissionPolicy() != null) {
            project.permissionPolicy = Validation.requireOneOf("permissionPolicy", request.permissionPolicy(),
                PermissionPolicies.ALL);
        }
    }

    /** The user's projects, newest first. */
    public Uni<List<Project>> list(AuthenticatedUser user) {
        return Panache.withSession(() -> repository.projectsOf(user.id()));
    }

    /** The user's project's chat sessions, newest first, each with its task's status; 404 for another's. */
    public Uni<List<SessionSummary>> sessions(AuthenticatedUser user, String projectId) {
        return ownedBy(user, projectId)
            .flatMap(project -> Panache.withSession(() -> repository.sessionsWithTasks(projectId)))
            .map(rows -> rows.stream().map(row -> {
                ChatSession session = (ChatSession) row[0];
                Task task = (Task) row[1];
                return new SessionSummary(session.id, session.taskId, session.topic,
                    task == null ? null : task.status, session.createdAt);
            }).toList());
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
