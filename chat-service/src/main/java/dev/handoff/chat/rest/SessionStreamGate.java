package dev.handoff.chat.rest;

import dev.handoff.chat.auth.CurrentUser;
import jakarta.ws.rs.Priorities;
import dev.handoff.chat.repository.ChatRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Answers 404 for the live stream of a session that does not exist or is another user's. An event stream's status
 * and headers go out when it starts, so the stream itself can no longer refuse; this filter checks before it starts,
 * after {@link AuthFilter} authenticated the caller.
 */
public class SessionStreamGate {

    @Inject
    ChatRepository repository;

    @Inject
    CurrentUser currentUser;

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> requireSession(SimpleResourceInfo resource, ContainerRequestContext request) {
        if (resource.getResourceClass() != SessionResource.class || !"stream".equals(resource.getMethodName())) {
            return Uni.createFrom().nullItem();
        }
        String sessionId = request.getUriInfo().getPathParameters().getFirst("id");
        String userId = currentUser.get().id();
        return Panache.withSession(() -> repository.visibleSession(sessionId, userId)).map(session -> session != null
            ? null
            : Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(new ApiErrors.ApiError(404, null, "no session " + sessionId)).build());
    }
}
