package dev.handoff.chat.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * orchestrator-service's dead-letter endpoints (an internal API: the shared service token goes in
 * {@code authorization}). Base URL: {@code quarkus.rest-client.orchestrator.url}. Use it through {@link DeadLetterOps}.
 */
@RegisterRestClient(configKey = "orchestrator")
@Path("/api/ops/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public interface OrchestratorOpsClient {

    @GET
    Uni<JsonNode> deadLetters(@QueryParam("limit") int limit, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("{partition}/{offset}/replay")
    Uni<JsonNode> replay(@PathParam("partition") int partition, @PathParam("offset") long offset,
                         @HeaderParam("Authorization") String authorization);
}
