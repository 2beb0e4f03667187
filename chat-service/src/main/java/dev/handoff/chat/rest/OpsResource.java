package dev.handoff.chat.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.client.DeadLetterOps;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Operators only (403 for other users): the dead letters the orchestrator keeps, and replaying one. */
@Path("/api/ops/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class OpsResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    DeadLetterOps deadLetters;

    /** The newest dead letters: partition, offset, at, originalTopic, key, reason, cause, value. */
    @GET
    public Uni<JsonNode> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        currentUser.operator();
        return deadLetters.list(Math.max(1, Math.min(limit, 1000)));
    }

    /** Puts the record back on its original topic: 202 with it; 404 when there is none at that position. */
    @POST
    @Path("{partition}/{offset}/replay")
    public Uni<Response> replay(@PathParam("partition") int partition, @PathParam("offset") long offset) {
        currentUser.operator();
        return deadLetters.replay(partition, offset).map(letter -> Response.accepted(letter).build());
    }
}
