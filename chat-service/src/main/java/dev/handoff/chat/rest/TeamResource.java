package dev.handoff.chat.rest;

import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.service.TeamService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/** Teams: create, list, read with members, rename, delete; add members by email, change roles, remove or leave. */
@Path("/api/teams")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TeamResource {

    public record TeamRequest(String name) {
    }

    /** {@code role}: {@code member} (default) or {@code owner}. */
    public record AddMemberRequest(String email, String role) {
    }

    public record RoleRequest(String role) {
    }

    /** A team in the caller's list; {@code role} is the caller's. */
    public record TeamSummary(String id, String name, String role, Instant createdAt) {
    }

    /** A team with its members; {@code role} is the caller's. */
    public record TeamView(String id, String name, String role, Instant createdAt, List<MemberView> members) {
    }

    public record MemberView(String userId, String email, String name, String role, Instant addedAt) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    TeamService teams;

    @POST
    public Uni<Response> create(TeamRequest request) {
        return teams.create(currentUser.get(), request)
            .map(team -> Response.created(URI.create("/api/teams/" + team.id())).entity(team).build());
    }

    @GET
    public Uni<List<TeamSummary>> list() {
        return teams.list(currentUser.get());
    }

    @GET
    @Path("{id}")
    public Uni<TeamView> get(@PathParam("id") String id) {
        return teams.get(currentUser.get(), id);
    }

    @PUT
    @Path("{id}")
    public Uni<TeamView> rename(@PathParam("id") String id, TeamRequest request) {
        return teams.rename(currentUser.get(), id, request);
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return teams.delete(currentUser.get(), id).map(v -> Response.noContent().build());
    }

    @POST
    @Path("{id}/members")
    public Uni<Response> addMember(@PathParam("id") String id, AddMemberRequest request) {
        return teams.addMember(currentUser.get(), id, request).map(member -> Response.created(
            URI.create("/api/teams/" + id + "/members/" + member.userId())).entity(member).build());
    }

    @PUT
    @Path("{id}/members/{userId}")
    public Uni<MemberView> changeRole(@PathParam("id") String id, @PathParam("userId") String userId,
                                      RoleRequest request) {
        return teams.changeRole(currentUser.get(), id, userId, request);
    }

    /** Removes a member (owners) or leaves the team (the caller's own user id). */
    @DELETE
    @Path("{id}/members/{userId}")
    public Uni<Response> removeMember(@PathParam("id") String id, @PathParam("userId") String userId) {
        return teams.removeMember(currentUser.get(), id, userId).map(v -> Response.noContent().build());
    }
}
