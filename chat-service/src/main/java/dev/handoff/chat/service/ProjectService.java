package dev.handoff.chat.service;

import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.PermissionPolicies;
import dev.handoff.chat.repository.Project;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.ProjectResource.CreateProjectRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.UUID;

/** Creates and reads projects. */
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
        return Panache.withTransaction(() -> repository.persist(project));
    }

    public Uni<Project> get(String id) {
        return Panache.withSession(() -> repository.find(Project.class, id))
            .onItem().ifNull().failWith(() -> ApiException.notFound("no project " + id));
    }
}
