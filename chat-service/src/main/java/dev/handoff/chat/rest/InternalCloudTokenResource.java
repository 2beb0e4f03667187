package dev.handoff.chat.rest;

import dev.handoff.chat.service.SecretService;
import dev.handoff.servicekit.internal.InternalApi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * For the provisioner only: a user's cloud API token (e.g. {@code hetzner_token}), so the user's nodes are made in
 * the user's own cloud account. Authenticated by the shared service token ({@link InternalApi}); 404 when the user
 * has no such token. Cloud tokens never go to nodes.
 */
@InternalApi
@Path("/internal/users")
@Produces(MediaType.APPLICATION_JSON)
public class InternalCloudTokenResource {

    public record CloudToken(String value) {
        @Override
        public String toString() {
            return "CloudToken[value hidden]";
        }
    }

    @Inject
    SecretService secrets;

    @GET
    @Path("{ownerId}/cloud-tokens/{name}")
    public Uni<CloudToken> cloudToken(@PathParam("ownerId") String ownerId, @PathParam("name") String name) {
        return secrets.revealCloudToken(ownerId, name).map(token -> token.map(CloudToken::new)
            .orElseThrow(() -> ApiException.notFound("no " + name + " for this user")));
    }
}
