package dev.handoff.chat.rest;

import dev.handoff.chat.client.GatewayBootstrap;
import dev.handoff.chat.client.NodeView;
import dev.handoff.chat.client.ProvisionerNodes;
import dev.handoff.chat.service.AttachCommand;
import dev.handoff.chat.service.CurrentOwner;
import dev.handoff.chat.service.NodesConfig;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** The caller's nodes: list, delete, attach their own machine. */
@Path("/api/nodes")
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {

    @Inject
    ProvisionerNodes provisioner;

    @Inject
    CurrentOwner owner;

    @Inject
    NodesConfig nodesConfig;

    @Inject
    GatewayBootstrap gatewayBootstrap;

    /** The most nodes one page lists, and how many when the caller does not say. */
    static final int MAX_PAGE = 500;

    /**
     * The caller's nodes, newest first, deleted ones included, a page at a time: at most {@code limit} (1-500,
     * default 500), those after the node {@code after}. When more follow, the {@code Link} header names the next
     * page ({@code rel="next"}, {@code after} = the last node's id) and {@code X-Next-After} its cursor.
     */
    @GET
    public Uni<Response> list(@QueryParam("limit") String limit, @QueryParam("after") String after,
                              @Context UriInfo uri) {
        int size = limit == null ? MAX_PAGE : pageSize(limit);
        if (after != null && after.isBlank()) {
            throw ApiException.invalid("after", "after must be a node id");
        }
        return provisioner.list(owner.id(), size + 1, after).map(nodes -> {
            if (nodes.size() <= size) {
                return Response.ok(nodes).build();
            }
            List<NodeView> page = nodes.subList(0, size);
            String cursor = page.get(size - 1).id();
            URI next = uri.getRequestUriBuilder().replaceQueryParam("after", cursor)
                .replaceQueryParam("limit", size).build();
            return Response.ok(page).header("Link", "<" + next + ">; rel=\"next\"")
                .header("X-Next-After", cursor).build();
        });
    }

    private static int pageSize(String limit) {
        try {
            int size = Integer.parseInt(limit);
            if (size < 1 || size > MAX_PAGE) {
                throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_PAGE + ", was " + limit);
            }
            return size;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("limit", "limit must be a whole number, got '" + limit + "'");
        }
    }

    /**
     * What {@code POST /api/nodes/attach} answers: the node, its one-time token, the SHA-256 of the vm-agent jar the
     * gateway serves, and the command to run (which checks that SHA-256 before it runs the jar).
     */
    public record AttachAnswer(String nodeId, String token, Instant expiresAt, String vmAgentSha256, String command,
                               String javaCommand) {
    }

    /**
     * A node token for the caller's own machine and the command that attaches it: 201. The jar's SHA-256 is read
     * from the gateway first, so a gateway that serves no jar (503) leaves no ticket behind; 429 from the
     * provisioner's attach caps.
     */
    @POST
    @Path("attach")
    public Uni<Response> attach() {
        return gatewayBootstrap.vmAgentSha256().flatMap(sha256 -> provisioner.attach(owner.id()).map(ticket -> {
            AttachCommand.Commands commands = AttachCommand.of(nodesConfig.gatewayPublicUrl(), ticket, sha256);
            return Response.status(201).entity(new AttachAnswer(ticket.nodeId(), ticket.token(), ticket.expiresAt(),
                sha256, commands.command(), commands.javaCommand())).build();
        }));
    }

    /** Deletes the node through its provider (stops the local process, deletes the server); 404 if not the caller's. */
    @DELETE
    @Path("{id}")
    public Uni<NodeView> delete(@PathParam("id") String id) {
        return provisioner.delete(id, owner.id());
    }
}
