package dev.handoff.provisioner.rest;

import dev.handoff.servicekit.internal.InternalApi;
import dev.handoff.provisioner.service.NodeAttachService;
import dev.handoff.provisioner.service.NodeDeletionService;
import dev.handoff.provisioner.service.NodeQueryService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * The provisioner's nodes API, for chat-service (not public): list, get and delete nodes, scoped to an owner when
 * {@code ownerId} is given; attach tokens for users' own machines; and the node a task got with its cost.
 */
@InternalApi
@Path("/api/provisioner")
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {

    /** The most nodes one call lists (one more is allowed, for a caller that looks whether another page follows). */
    static final int MAX_PAGE = 500;

    @Inject
    NodeQueryService queries;

    @Inject
    NodeDeletionService deletions;

    @Inject
    NodeAttachService attachments;

    @GET
    @Path("nodes")
    public Uni<Response> list(@QueryParam("ownerId") String ownerId, @QueryParam("limit") Integer limit,
                              @QueryParam("after") String after) {
        int size = limit == null ? MAX_PAGE : limit;
        if (size < 1 || size > MAX_PAGE + 1) {
            return Uni.createFrom().item(badRequest("limit", "limit must be between 1 and " + (MAX_PAGE + 1)));
        }
        return queries.page(ownerId, size, after).map(page -> page == null
            ? badRequest("after", "no node " + after + " to list after")
            : Response.ok(page).build());
    }

    @GET
    @Path("nodes/{id}")
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("ownerId") String ownerId) {
        return queries.get(id, ownerId).map(NodeResource::okOrNotFound);
    }

    /** Deletes the node through its provider; 200 with the node afterwards, 404 when unknown or not the owner's. */
    @DELETE
    @Path("nodes/{id}")
    public Uni<Response> delete(@PathParam("id") String id, @QueryParam("ownerId") String ownerId) {
        return queries.get(id, ownerId).flatMap(node -> node == null
            ? Uni.createFrom().item(notFound("no node " + id))
            : deletions.delete(id, "deleted by its owner").flatMap(deleted -> queries.get(id, ownerId))
            .map(NodeResource::okOrNotFound));
    }

    /**
     * A node token for the owner's own machine: 201 with the node id, the one-time token and its expiry; 429 with the
     * reason (the limit named) when the owner is at an attach cap, and no node is made.
     */
    @POST
    @Path("nodes/attach")
    public Uni<Response> attach(@QueryParam("ownerId") String ownerId) {
        return attachments.attach(ownerId).map(attached -> attached.refusal() != null
            ? Response.status(429).entity(Map.of("status", 429, "message", attached.refusal())).build()
            : Response.status(201).entity(attached.ticket()).build());
    }

    @GET
    @Path("tasks/{taskId}/node")
    public Uni<Response> nodeOfTask(@PathParam("taskId") String taskId) {
        return queries.ofTask(taskId).map(NodeResource::okOrNotFound);
    }

    private static Response okOrNotFound(Object entity) {
        return entity == null ? notFound("not found") : Response.ok(entity).build();
    }

    private static Response badRequest(String field, String message) {
        return Response.status(400).entity(Map.of("status", 400, "field", field, "message", message)).build();
    }

    private static Response notFound(String message) {
        return Response.status(404).entity(Map.of("status", 404, "message", message)).build();
    }
}
