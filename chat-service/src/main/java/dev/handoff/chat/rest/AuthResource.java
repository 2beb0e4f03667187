package dev.handoff.chat.rest;

import dev.handoff.chat.api.PasswordChangeRequest;
import dev.handoff.chat.auth.AccountService;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.auth.BrowserSessionService;
import dev.handoff.chat.auth.ClientAddresses;
import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.auth.Public;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** Password sign-in and sign-out for the browser, open sign-up, and changing one's password. */
@Path("/api/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    public record LoginRequest(String email, String password) {
    }

    public record SignupRequest(String email, String password, String name) {
    }

    public record UserView(String id, String email, String name, boolean operator) {
        public static UserView of(AuthenticatedUser user) {
            return new UserView(user.id(), user.email(), user.name(), user.operator());
        }
    }

    /** What sign-in and sign-up answer. */
    public record SignedIn(UserView user) {
    }

    @Inject
    AccountService accounts;

    @Inject
    BrowserSessionService sessions;

    @Inject
    ClientAddresses clientAddresses;

    @Inject
    CurrentUser currentUser;

    /**
     * 200 with the user and a new session cookie; 401 for a wrong email or password; 429 with Retry-After after too
     * many attempts for the account or from the client's address; 503 with Retry-After when sign-in is busy.
     */
    @POST
    @Path("login")
    @Public
    public Uni<Response> login(LoginRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with email and password is required");
        }
        String client = clientAddresses.clientOf(http.remoteAddress().hostAddress(),
            http.getHeader("X-Forwarded-For"));
        return accounts.checkPassword(request.email(), request.password(), client)
            .flatMap(user -> signedIn(user, http))
            .map(answer -> answer.build());
    }

    /** 201 with the new user, signed in; 403 when sign-up is closed, 409 when the email is taken. */
    @POST
    @Path("signup")
    @Public
    public Uni<Response> signup(SignupRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with email, password and name is required");
        }
        return accounts.signUp(request.email(), request.password(), request.name())
            .flatMap(user -> signedIn(user, http))
            .map(answer -> answer.status(201).location(URI.create("/api/me")).build());
    }

    /** Ends the browser session (when signed in by cookie) and clears the cookie; 204. */
    @POST
    @Path("logout")
    public Uni<Response> logout(@CookieParam(BrowserSessionService.COOKIE) String cookie,
                                @Context HttpServerRequest http) {
        Uni<Void> ended = cookie == null || cookie.isEmpty() ? Uni.createFrom().voidItem() : sessions.end(cookie);
        return ended.map(v -> Response.noContent()
            .header(HttpHeaders.SET_COOKIE, sessions.expiredCookie(http)).build());
    }

    /**
     * Changes the caller's password: 204, the caller's own browser session goes on (when signed in by cookie) and
     * every other browser session of the account ends; API tokens keep working. 403 naming {@code currentPassword}
     * when it is wrong (or the account has none), 400 naming {@code newPassword} for one under sign-up's minimum,
     * 429/503 with Retry-After as for sign-in.
     */
    @POST
    @Path("password")
    public Uni<Response> changePassword(PasswordChangeRequest request,
                                        @CookieParam(BrowserSessionService.COOKIE) String cookie,
                                        @Context HttpServerRequest http) {
        if (request == null) {
            throw ApiException.invalid(null, "a JSON body with currentPassword and newPassword is required");
        }
        AuthenticatedUser user = currentUser.get();
        // Signed in by an API token (which counts when both are sent): no browser session is the caller's.
        String keptSession = currentUser.byApiToken() ? null : cookie;
        String client = clientAddresses.clientOf(http.remoteAddress().hostAddress(),
            http.getHeader("X-Forwarded-For"));
        return accounts.changePassword(user, request.currentPassword(), request.newPassword(), keptSession, client)
            .map(ended -> Response.noContent().build());
    }

    private Uni<Response.ResponseBuilder> signedIn(AuthenticatedUser user, HttpServerRequest http) {
        return sessions.open(user).map(value -> Response.ok(new SignedIn(UserView.of(user)))
            .header(HttpHeaders.SET_COOKIE, sessions.cookie(value, http)));
    }
}
