package dev.handoff.chat.service;

import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.repository.Team;
import dev.handoff.chat.repository.TeamMember;
import dev.handoff.chat.repository.TeamRepository;
import dev.handoff.chat.repository.UserAccount;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.chat.rest.TeamResource.AddMemberRequest;
import dev.handoff.chat.rest.TeamResource.MemberView;
import dev.handoff.chat.rest.TeamResource.RoleRequest;
import dev.handoff.chat.rest.TeamResource.TeamRequest;
import dev.handoff.chat.rest.TeamResource.TeamSummary;
import dev.handoff.chat.rest.TeamResource.TeamView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Teams and their members. A team exists for its members only: to anyone else every team id answers 404, the same
 * as one that does not exist. The rules (who may do what) are {@link TeamRoles}; every change of a team's members
 * locks the team row first, so two owners removing each other cannot leave it without an owner.
 */
@ApplicationScoped
public class TeamService {

    private static final Logger LOG = Logger.getLogger(TeamService.class);

    @Inject
    TeamRepository repository;

    /** A new team with the caller as its owner. */
    public Uni<TeamView> create(AuthenticatedUser user, TeamRequest request) {
        String name = Validation.requireText("name", request == null ? null : request.name(), 200);
        Team team = new Team();
        team.id = UUID.randomUUID().toString();
        team.name = name;
        team.createdAt = Instant.now();
        TeamMember owner = membership(team.id, user.id(), TeamRoles.OWNER);
        return Panache.withTransaction(() -> repository.persist(team).flatMap(t -> repository.persist(owner))
            .invoke(m -> LOG.infof("team %s created by %s", team.id, user.id()))
            .flatMap(m -> view(team, owner)));
    }

    /** The caller's teams with their role in each, by name. */
    public Uni<List<TeamSummary>> list(AuthenticatedUser user) {
        return Panache.withSession(() -> repository.teamsOf(user.id())).map(rows -> rows.stream()
            .map(row -> summary((Team) row[0], (TeamMember) row[1])).toList());
    }

    /** The team and its members; 404 unless the caller is a member. */
    public Uni<TeamView> get(AuthenticatedUser user, String teamId) {
        return Panache.withSession(() -> member(user, teamId)
            .flatMap(mine -> Panache.getSession().flatMap(s -> s.find(Team.class, teamId))
                .flatMap(team -> view(team, mine))));
    }

    /** Renames the team (owners); 404 for non-members, 403 for members. */
    public Uni<TeamView> rename(AuthenticatedUser user, String teamId, TeamRequest request) {
        String name = Validation.requireText("name", request == null ? null : request.name(), 200);
        return Panache.withTransaction(() -> lockedMember(user, teamId).flatMap(mine -> {
            TeamRoles.requireOwner(mine.role, "rename the team");
            return repository.lock(teamId).invoke(team -> team.name = name).flatMap(team -> view(team, mine));
        }));
    }

    /** Deletes the team (owners); its projects become their creators' own again. */
    public Uni<Void> delete(AuthenticatedUser user, String teamId) {
        return Panache.withTransaction(() -> lockedMember(user, teamId).flatMap(mine -> {
            TeamRoles.requireOwner(mine.role, "delete the team");
            LOG.infof("team %s deleted by %s", teamId, user.id());
            return repository.deleteTeam(teamId);
        }));
    }

    /**
     * Adds the account with {@code email} (owners only): 400 naming {@code email} when there is no such account,
     * 409 naming {@code email} when they are a member already, 400 naming {@code role} for an unknown role.
     */
    public Uni<MemberView> addMember(AuthenticatedUser user, String teamId, AddMemberRequest request) {
        String email = Validation.requireText("email", request == null ? null : request.email(), 320)
            .toLowerCase(Locale.ROOT);
        String role = request.role() == null ? TeamRoles.MEMBER
            : Validation.requireOneOf("role", request.role(), TeamRoles.ALL);
        return Panache.withTransaction(() -> lockedMember(user, teamId).flatMap(mine -> {
            TeamRoles.requireOwner(mine.role, "add members");
            return repository.userByEmail(email)
                .onItem().ifNull().failWith(() -> ApiException.invalid("email", "no Handoff account has the email "
                    + email + "; they need to sign up first"))
                .flatMap(account -> repository.membership(teamId, account.id).flatMap(existing -> {
                    if (existing != null) {
                        throw new ApiException(409, "email", email + " is a member of this team already");
                    }
                    TeamMember added = membership(teamId, account.id, role);
                    LOG.infof("team %s: %s added %s as %s", teamId, user.id(), account.id, role);
                    return repository.persist(added).map(m -> member(m, account));
                }));
        }));
    }

    /** Changes a member's role (owners); the last owner stays an owner (409). */
    public Uni<MemberView> changeRole(AuthenticatedUser user, String teamId, String userId, RoleRequest request) {
        String role = Validation.requireOneOf("role", request == null ? null : request.role(), TeamRoles.ALL);
        return Panache.withTransaction(() -> lockedMember(user, teamId).flatMap(mine -> target(teamId, userId)
            .flatMap(target -> repository.countOwners(teamId).flatMap(owners -> {
                TeamRoles.checkRoleChange(mine.role, target.role, role, owners);
                target.role = role;
                return Panache.getSession().flatMap(s -> s.find(UserAccount.class, userId))
                    .map(account -> member(target, account));
            }))));
    }

    /**
     * Removes a member (owners), or the caller themselves (leaving). From the next request on they reach none of the
     * team's things, with any of their API tokens or browser sessions: access is read from the membership each time.
     */
    public Uni<Void> removeMember(AuthenticatedUser user, String teamId, String userId) {
        return Panache.withTransaction(() -> lockedMember(user, teamId).flatMap(mine -> target(teamId, userId)
            .flatMap(target -> repository.countOwners(teamId).flatMap(owners -> {
                TeamRoles.checkRemoval(user.id(), mine.role, userId, target.role, owners);
                LOG.infof("team %s: %s removed %s", teamId, user.id(), userId);
                return repository.remove(target);
            }))));
    }

    private Uni<TeamMember> member(AuthenticatedUser user, String teamId) {
        return repository.membership(teamId, user.id())
            .onItem().ifNull().failWith(() -> ApiException.notFound("no team " + teamId));
    }

    /** The caller's membership after locking the team (404 when there is no such team or they are not in it). */
    private Uni<TeamMember> lockedMember(AuthenticatedUser user, String teamId) {
        return repository.lock(teamId).onItem().ifNull().failWith(() -> ApiException.notFound("no team " + teamId))
            .flatMap(team -> member(user, teamId));
    }

    private Uni<TeamMember> target(String teamId, String userId) {
        return repository.membership(teamId, userId)
            .onItem().ifNull().failWith(() -> ApiException.notFound("no member " + userId + " in team " + teamId));
    }

    private Uni<TeamView> view(Team team, TeamMember mine) {
        return repository.membersOf(team.id).map(rows -> new TeamView(team.id, team.name, mine.role, team.createdAt,
            rows.stream().map(row -> member((TeamMember) row[0], (UserAccount) row[1])).toList()));
    }

    private static TeamSummary summary(Team team, TeamMember mine) {
        return new TeamSummary(team.id, team.name, mine.role, team.createdAt);
    }

    private static MemberView member(TeamMember membership, UserAccount account) {
        return new MemberView(membership.userId, account == null ? null : account.email,
            account == null ? null : account.name, membership.role, membership.addedAt);
    }

    private static TeamMember membership(String teamId, String userId, String role) {
        TeamMember member = new TeamMember();
        member.id = UUID.randomUUID().toString();
        member.teamId = teamId;
        member.userId = userId;
        member.role = role;
        member.addedAt = Instant.now();
        return member;
    }
}
