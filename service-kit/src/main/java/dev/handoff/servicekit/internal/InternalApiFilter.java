package dev.handoff.servicekit.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Map;
import java.util.Optional;

/**
 * Refuses a request to an {@link InternalApi} resource unless it carries the shared service token: 401 with a
 * JSON error. Resources without the annotation are left to their service.
 */
public class InternalApiFilter {

    @ConfigProperty(name = InternalToken.CONFIG_KEY)
    Optional<String> token;

    @ServerRequestFilter
    public Response requireServiceToken(ContainerRequestContext request, ResourceInfo resource) {
        boolean internal = resource.getResourceClass() != null
            && (resource.getResourceClass().isAnnotationPresent(InternalApi.class)
            || resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(InternalApi.class));
        if (!internal || InternalToken.authorizes(request.getHeaderString(HttpHeaders.AUTHORIZATION), token)) {
            return null;
        }
        String message = token.isEmpty() ? "this internal API is closed: " + InternalToken.CONFIG_KEY
            + " is not configured" : "this internal API needs Authorization: Bearer <the internal service token>";
        return Response.status(401).type(MediaType.APPLICATION_JSON).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
            .entity(Map.of("status", 401, "message", message)).build();
    }
}
