package dev.handoff.orchestrator.ops;

import dev.handoff.servicekit.internal.InternalApi;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Operators: the records no consumer could process, and putting one back where it came from. */
@InternalApi
@Path("/api/ops/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLetterResource {

    @Inject
    DeadLetters deadLetters;

    @GET
    public List<DeadLetters.DeadLetter> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        return deadLetters.list(Math.max(1, Math.min(limit, 1000)));
    }

    @POST
    @Path("{partition}/{offset}/replay")
    public Response replay(@PathParam("partition") int partition, @PathParam("offset") long offset) {
        return deadLetters.replay(partition, offset)
            .map(letter -> Response.accepted(letter).build())
            .orElseThrow(() -> new NotFoundException("no dead letter at " + partition + "/" + offset));
    }
}
