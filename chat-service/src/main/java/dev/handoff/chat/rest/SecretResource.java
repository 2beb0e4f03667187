package dev.handoff.chat.rest;

import dev.handoff.chat.service.SecretService;
import dev.handoff.chat.service.SecretService.SecretInfo;
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

/** The caller's secrets, write-only: values go in and never come out of this API. */
@Path("/api/settings/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class SecretResource {

    public record SecretValue(String value) {
    }

    public record SecretList(List<SecretInfo> secrets) {
    }

    @Inject
    SecretService secrets;

    /** Stores (or replaces) the secret: 204. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> put(@PathParam("name") String name, SecretValue body) {
        if (body == null) {
            throw ApiException.invalid("value", "a JSON body {\"value\": ...} is required");
        }
        return secrets.put(name, body.value()).map(v -> Response.noContent().build());
    }

    /** Names and when each was set; never values. */
    @GET
    public Uni<SecretList> list() {
        return secrets.list().map(SecretList::new);
    }

    /** Forgets the secret: 204, also when there was none. */
    @DELETE
    @Path("{name}")
    public Uni<Response> delete(@PathParam("name") String name) {
        return secrets.delete(name).map(deleted -> Response.noContent().build());
    }
}
