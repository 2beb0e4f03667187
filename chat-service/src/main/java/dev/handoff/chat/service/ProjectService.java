package dev.handoff.chat.service;

import dev.handoff.contracts.vocabulary.NodeSize;
import dev.handoff.contracts.vocabulary.PermissionPolicy;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.ChatSession;
import dev.handoff.chat.repository.Project;
import dev.handoff.chat.repository.Task;
import dev.handoff.chat.repository.Team;
import dev.handoff.chat.repository.TeamMember;
import dev.handoff.chat.repository.TeamRepository;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.ProjectResource.CreateProjectRequest;
import dev.handoff.chat.rest.ProjectResource.ProjectView;
import dev.handoff.chat.rest.ProjectResource.SessionSummary;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates, lists, reads and edits projects, lists a project's chat sessions, and holds the access rule: a personal
 * project is its creator's, a team's project is every member's of that team (ChatRepository.VISIBLE_TO_USER), and
 * its sessions and tasks go with it. {@link #visible}, {@link #visibleTask} and {@link #visibleSession} answer 404
 * (the same as for an id that does not exist) for anything the user may not see. Editing a team's project is for
 * the team's owners and the project's creator ({@link TeamRoles#mayEditProject}; other members 403).
 */
@ApplicationScoped
public class ProjectService {

    static final String DEFAULT_BRANCH = "main";

    private static final Logger LOG = Logger.getLogger(ProjectService.class);

    @Inject
    ChatRepository repository;

    @Inject
    TeamRepository teams;

    @Inject
    AgentCatalog agents;

    @Inject
    ProjectsConfig config;

    @Inject
    RepositoryUrls repositoryUrls;

    /** A new project of the caller; in team {@code teamId} when given (400 naming teamId unless a member). */
    public Uni<ProjectView> create(AuthenticatedUser owner, CreateProjectRequest request) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with name and repositoryUrl is required");
        }
        Project project = new Project();
        project.id = UUID.randomUUID().toString();
        project.defaultBranch = DEFAULT_BRANCH;
        project.defaultAgent = agents.defaultAgent();
        project.permissionPolicy = PermissionPolicy.DEFAULT.wireName();
        apply(request, project);
        project.createdAt = Instant.now();
        project.ownerId = owner.id();
        project.teamId = request.teamId();
        return repositoryUrls.requireAllowed("repositoryUrl", project.repositoryUrl)
            .flatMap(allowed -> Panache.withTransaction(() -> requireTeam(owner, request.teamId())
            .flatMap(team -> repository.persist(project).flatMap(p -> view(owner, p)))));
    }

    /**
     * Edits a project with the rules of create; a missing defaultBranch, defaultAgent, permissionPolicy or teamId
     * keeps the current one. A {@code teamId} moves a personal project into that team (its creator, who must be a
     * member); a team's project stays in its team (400 naming teamId).
     */
    public Uni<ProjectView> update(AuthenticatedUser user, String id, CreateProjectRequest request) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with name and repositoryUrl is required");
        }
        Project edited = new Project();
        edited.defaultBranch = DEFAULT_BRANCH;
        edited.defaultAgent = agents.defaultAgent();
        apply(request, edited);
        return repositoryUrls.requireAllowed("repositoryUrl", edited.repositoryUrl)
            .flatMap(allowed -> Panache.withTransaction(() -> visibleIn(user, id)
            .flatMap(project -> roleIn(user, project.teamId).flatMap(role -> {
                if (project.teamId != null && !TeamRoles.mayEditProject(user.id(), role, project.ownerId)) {
                    throw new ApiException(403, null, "only the team's owners and the project's creator may edit "
                        + "this project");
                }
                boolean moves = request.teamId() != null && !request.teamId().equals(project.teamId);
                if (moves && project.teamId != null) {
                    throw ApiException.invalid("teamId", "a team's project stays in its team");
                }
                return (moves ? requireTeam(user, request.teamId()) : Uni.createFrom().<Team>nullItem())
                    .map(team -> {
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
                        if (request.defaultNodeSize() != null) {
                            project.defaultNodeSize = edited.defaultNodeSize;
                        }
                        if (moves) {
                            LOG.infof("project %s moved into team %s by %s", project.id, team.id, user.id());
                            project.teamId = team.id;
                        }
                        return project;
                    });
            })
            .flatMap(saved -> view(user, saved)))));
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
                PermissionPolicy.wireNames());
        }
        if (request.defaultNodeSize() != null) {
            project.defaultNodeSize = Validation.requireOneOf("defaultNodeSize", request.defaultNodeSize(),
                NodeSize.wireNames());
        }
    }

    /** The projects the user sees (their own and their teams'), newest first. */
    public Uni<List<ProjectView>> list(AuthenticatedUser user) {
        return Panache.withSession(() -> repository.projectsVisibleTo(user.id())
            .flatMap(projects -> teams.teamsOf(user.id()).map(rows -> {
                Map<String, Object[]> teamsById = new HashMap<>();
                rows.forEach(row -> teamsById.put(((Team) row[0]).id, row));
                return projects.stream().map(project -> {
                    Object[] team = project.teamId == null ? null : teamsById.get(project.teamId);
                    return view(user, project, team == null ? null : (Team) team[0],
                        team == null ? null : ((TeamMember) team[1]).role);
                }).toList();
            })));
    }

    /** The project as the user sees it; 404 when they may not. */
    public Uni<ProjectView> view(AuthenticatedUser user, String projectId) {
        return Panache.withSession(() -> visibleIn(user, projectId).flatMap(project -> view(user, project)));
    }

    /** The project's chat sessions, newest first, each with its task's status; 404 when the user may not see it. */
    public Uni<List<SessionSummary>> sessions(AuthenticatedUser user, String projectId) {
        return visible(user, projectId)
            .flatMap(project -> Panache.withSession(() -> repository.sessionsWithTasks(projectId)))
            .map(rows -> rows.stream().map(row -> {
                ChatSession session = (ChatSession) row[0];
                Task task = (Task) row[1];
                return new SessionSummary(session.id, session.taskId, session.topic,
                    task == null ? null : task.status.wireName(), session.createdAt);
            }).toList());
    }

    /** The project, when the user may see it (theirs, or their team's); 404 otherwise. Joins a running session. */
    public Uni<Project> visible(AuthenticatedUser user, String projectId) {
        return Panache.withSession(() -> visibleIn(user, projectId));
    }

    /** The task, when the user may see its project; 404 otherwise. */
    public Uni<Task> visibleTask(AuthenticatedUser user, String taskId) {
        return Panache.withSession(() -> repository.visibleTask(taskId, user.id()))
            .onItem().ifNull().failWith(() -> ApiException.notFound("no task " + taskId));
    }

    /** The chat session, when the user may see its project; 404 otherwise. */
    public Uni<ChatSession> visibleSession(AuthenticatedUser user, String sessionId) {
        return Panache.withSession(() -> repository.visibleSession(sessionId, user.id()))
            .onItem().ifNull().failWith(() -> ApiException.notFound("no session " + sessionId));
    }

    private Uni<Project> visibleIn(AuthenticatedUser user, String projectId) {
        return repository.visibleProject(projectId, user.id())
            .onItem().ifNull().failWith(() -> ApiException.notFound("no project " + projectId));
    }

    /** The team when given; 400 naming teamId when there is none or the user is not in it. */
    private Uni<Team> requireTeam(AuthenticatedUser user, String teamId) {
        if (teamId == null) {
            return Uni.createFrom().nullItem();
        }
        return teams.membership(teamId, user.id())
            .onItem().ifNull().failWith(() -> ApiException.invalid("teamId", "you are not a member of a team "
                + teamId))
            .flatMap(member -> repository.find(Team.class, teamId));
    }

    private Uni<String> roleIn(AuthenticatedUser user, String teamId) {
        return teamId == null ? Uni.createFrom().nullItem()
            : teams.membership(teamId, user.id()).map(member -> member == null ? null : member.role);
    }

    private Uni<ProjectView> view(AuthenticatedUser user, Project project) {
        if (project.teamId == null) {
            return Uni.createFrom().item(view(user, project, null, null));
        }
        return repository.find(Team.class, project.teamId).flatMap(team -> roleIn(user, project.teamId)
            .map(role -> view(user, project, team, role)));
    }

    private static ProjectView view(AuthenticatedUser user, Project project, Team team, String role) {
        boolean editable = project.teamId == null ? user.id().equals(project.ownerId)
            : TeamRoles.mayEditProject(user.id(), role, project.ownerId);
        return ProjectView.of(project, team == null ? null : team.name, editable);
    }
}
