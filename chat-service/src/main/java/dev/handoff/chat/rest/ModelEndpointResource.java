package dev.handoff.chat.rest;

import dev.handoff.chat.service.ModelEndpointService;
import dev.handoff.chat.service.ModelEndpointService.ModelEndpointInfo;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The caller's model endpoint per agent: a base URL their agent's requests go to instead of the vendor's. */
@Path("/api/settings/model-endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class ModelEndpointResource {

    public record ModelEndpointValue(String url) {
    }

    public record ModelEndpointList(List<ModelEndpointInfo> modelEndpoints) {
    }

    @Inject
    ModelEndpointService endpoints;

    /** Sets (or replaces) the agent's endpoint: 204. */
    @PUT
    @Path("{agent}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> put(@PathParam("agent") String agent, ModelEndpointValue body) {
        if (body == null) {
            throw ApiException.invalid("url", "a JSON body {\"url\": ...} is required");
        }
        return endpoints.put(agent, body.url()).map(v -> Response.noContent().build());
    }

    /** The caller's endpoints, agent by agent. */
    @GET
    public Uni<ModelEndpointList> list() {
        return endpoints.list().map(ModelEndpointList::new);
    }

    /** Forgets the agent's endpoint (the installation's, if any, applies again): 204, also when there was none. */
    @DELETE
    @Path("{agent}")
    public Uni<Response> delete(@PathParam("agent") String agent) {
        return endpoints.delete(agent).map(deleted -> Response.noContent().build());
    }
}
