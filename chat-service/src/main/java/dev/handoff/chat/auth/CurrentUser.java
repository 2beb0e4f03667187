package dev.handoff.chat.auth;

import dev.handoff.chat.rest.ApiException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one place code asks who is calling: {@code currentUser.get()} in a resource method (or anything it calls
 * before the first asynchronous step) returns the user {@link dev.handoff.chat.rest.AuthFilter} authenticated for
 * this request. Pass the {@link AuthenticatedUser} on to services as a parameter rather than calling this from
 * asynchronous callbacks, where the request is not current.
 */
@ApplicationScoped
public class CurrentUser {

    static final String KEY = "handoff.user";
    static final String BY_API_TOKEN = "handoff.by-api-token";

    @Inject
    CurrentVertxRequest request;

    /** @throws ApiException 401 when the request is not authenticated (only on endpoints marked public) */
    public AuthenticatedUser get() {
        AuthenticatedUser user = request.getCurrent().get(KEY);
        if (user == null) {
            throw new ApiException(401, null, "sign in first");
        }
        return user;
    }

    /** The caller, who must be an operator. @throws ApiException 403 for other users */
    public AuthenticatedUser operator() {
        AuthenticatedUser user = get();
        if (!user.operator()) {
            throw new ApiException(403, null, "only operators may do this");
        }
        return user;
    }

    /**
     * Whether this request proved its user with an API token ({@code Authorization: Bearer}) rather than a signed-in
     * session: what only a session may do (making API tokens) asks this.
     */
    public boolean byApiToken() {
        return Boolean.TRUE.equals(request.getCurrent().get(BY_API_TOKEN));
    }

    /** Called once per request by the authentication filter, saying whether an API token proved the user. */
    public static void authenticate(RoutingContext request, AuthenticatedUser user, boolean byApiToken) {
        request.put(KEY, user);
        request.put(BY_API_TOKEN, byApiToken);
    }
}
