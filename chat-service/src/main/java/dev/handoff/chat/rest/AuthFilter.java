package dev.handoff.chat.rest;

import dev.handoff.chat.auth.ApiTokenService;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.auth.BrowserSessionService;
import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.auth.Public;
import dev.handoff.chat.rest.ApiErrors.ApiError;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import dev.handoff.servicekit.internal.InternalApi;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * Authenticates every API request before its resource runs: {@code Authorization: Bearer <API token>}, else the
 * {@code handoff_session} cookie; the user is then what {@link CurrentUser#get()} returns. No valid credential:
 * 401. A state-changing request authenticated by the cookie must carry {@code X-Handoff-Client: web}, which a
 * cross-site form or image cannot send (CSRF guard): else 403. Methods marked {@link Public} pass unauthenticated.
 */
public class AuthFilter {

    public static final String CLIENT_HEADER = "X-Handoff-Client";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    ApiTokenService tokens;

    @Inject
    BrowserSessionService sessions;

    @Inject
    CurrentVertxRequest vertxRequest;

    /** On the event loop, before a blocking endpoint moves to a worker thread: the lookups are reactive. */
    @ServerRequestFilter(nonBlocking = true)
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(Public.class)) {
            return Uni.createFrom().nullItem();
        }
        if (resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(InternalApi.class)) {
            // Service-to-service endpoints: the shared service token, checked by InternalApiFilter, not a user.
            return Uni.createFrom().nullItem();
        }
        RoutingContext routing = vertxRequest.getCurrent();
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return refuse(401, "Authorization must be 'Bearer <API token>'");
            }
            return tokens.check(authorization.substring(7).strip()).map(check -> {
                if (check.expired()) {
                    return unauthorized("the API token expired; create a new one in the settings");
                }
                return check.user() == null
                    ? unauthorized("the API token is not valid (revoked or mistyped)")
                    : accept(routing, check.user(), true);
            });
        }
        Cookie cookie = request.getCookies().get(BrowserSessionService.COOKIE);
        if (cookie != null && !cookie.getValue().isEmpty()) {
            boolean stateChanging = !SAFE_METHODS.contains(request.getMethod());
            return sessions.userOf(cookie.getValue()).map(user -> {
                if (user == null) {
                    return unauthorized("the session ended; sign in again");
                }
                if (stateChanging && !"web".equals(request.getHeaderString(CLIENT_HEADER))) {
                    return error(403, CLIENT_HEADER, "a request signed in by cookie must send the header "
                        + CLIENT_HEADER + ": web");
                }
                return accept(routing, user, false);
            });
        }
        return refuse(401, "sign in, or send Authorization: Bearer <API token>");
    }

    private static Response accept(RoutingContext routing, AuthenticatedUser user, boolean byApiToken) {
        CurrentUser.authenticate(routing, user, byApiToken);
        return null;
    }

    private static Uni<Response> refuse(int status, String message) {
        return Uni.createFrom().item(unauthorized(message));
    }

    private static Response unauthorized(String message) {
        return Response.fromResponse(error(401, null, message)).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static Response error(int status, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
            .entity(new ApiError(status, field, message)).build();
    }
}
