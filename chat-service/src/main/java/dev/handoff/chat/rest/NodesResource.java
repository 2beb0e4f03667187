package dev.handoff.chat.rest;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

    /** The caller's nodes, newest first, deleted ones included. */
    @GET
    public Uni<List<NodeView>> list() {
        return provisioner.list(owner.id());
    }

    /** What {@code POST /api/nodes/attach} answers: the node, its one-time token, and the command to run. */
    public record AttachAnswer(String nodeId, String token, Instant expiresAt, String command, String javaCommand) {
    }

    /** A node token for the caller's own machine and the command that attaches it: 201. */
    @POST
    @Path("attach")
    public Uni<Response> attach() {
        return provisioner.attach(owner.id()).map(ticket -> {
            AttachCommand.Commands commands = AttachCommand.of(nodesConfig.gatewayPublicUrl(), ticket);
            return Response.status(201).entity(new AttachAnswer(ticket.nodeId(), ticket.token(), ticket.expiresAt(),
                commands.command(), commands.javaCommand())).build();
        });
    }

    /** Deletes the node through its provider (stops the local process, deletes the server); 404 if not the caller's. */
    @DELETE
    @Path("{id}")
    public Uni<NodeView> delete(@PathParam("id") String id) {
        return provisioner.delete(id, owner.id());
    }
}
