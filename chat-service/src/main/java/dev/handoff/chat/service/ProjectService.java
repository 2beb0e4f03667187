package dev.handoff.chat.service;

import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
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

/** Creates, lists, reads and edits projects; lists a project's chat sessions. */
@ApplicationScoped
public class ProjectService {

    static final String DEFAULT_BRANCH = "main";

    @Inject
    ChatRepository repository;

    @Inject
    AgentCatalog agents;

    @Inject
    ProjectsConfig config;

    public Uni<Project> create(CreateProjectRequest request) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with name and repositoryUrl is required");
        }
        Project project = new Project();
        project.id = UUID.randomUUID().toString();
        project.defaultBranch = DEFAULT_BRANCH;
        project.defaultAgent = agents.defaultAgent();
        apply(request, project);
        project.createdAt = Instant.now();
        return Panache.withTransaction(() -> repository.persist(project));
    }

    /** Edits a project with the rules of create; a missing defaultBranch or defaultAgent keeps the current one. */
    public Uni<Project> update(String id, CreateProjectRequest request) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with name and repositoryUrl is required");
        }
        Project edited = new Project();
        edited.defaultBranch = DEFAULT_BRANCH;
        edited.defaultAgent = agents.defaultAgent();
        apply(request, edited);
        return Panache.withTransaction(() -> repository.find(Project.class, id)
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
    }

    /** Every project, newest first (scoped to the caller once users exist). */
    public Uni<List<Project>> list() {
        return Panache.withSession(() -> repository.projects());
    }

    /** The project's chat sessions, newest first, each with its task's status. */
    public Uni<List<SessionSummary>> sessions(String projectId) {
        return Panache.withSession(() -> repository.find(Project.class, projectId)
            .onItem().ifNull().failWith(() -> ApiException.notFound("no project " + projectId))
            .flatMap(project -> repository.sessionsWithTasks(projectId))
            .map(rows -> rows.stream().map(row -> {
                ChatSession session = (ChatSession) row[0];
                Task task = (Task) row[1];
                return new SessionSummary(session.id, session.taskId, session.topic,
                    task == null ? null : task.status, session.createdAt);
            }).toList()));
    }

    public Uni<Project> get(String id) {
        return Panache.withSession(() -> repository.find(Project.class, id))
            .onItem().ifNull().failWith(() -> ApiException.notFound("no project " + id));
    }
}
