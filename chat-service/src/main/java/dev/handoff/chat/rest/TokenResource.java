package dev.handoff.chat.rest;

import dev.handoff.chat.auth.ApiTokenService;
import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.repository.ApiToken;
import dev.handoff.chat.service.UserLimits;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** The caller's personal API tokens. */
@Path("/api/tokens")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    public record CreateTokenRequest(String name, Integer expiresInDays) {
    }

    /** The answer to a create: the only time {@code token} is shown. */
    public record CreatedToken(String id, String name, String token, Instant createdAt, Instant expiresAt) {
    }

    /** A token as listed: never its value, only its first characters. */
    public record TokenView(String id, String name, String prefix, Instant createdAt, Instant expiresAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id, t.name, t.prefix, t.createdAt, t.expiresAt);
        }
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    ApiTokenService tokens;

    @Inject
    UserLimits limits;

    /**
     * A new token for the signed-in caller. Only a signed-in session (the web page, or {@code POST /api/auth/login}'s
     * cookie) makes tokens: a request proved by an API token gets 403, so a leaked token cannot mint more tokens that
     * outlive its revocation. 429 when the caller holds {@code handoff.limits.api-tokens-per-user} tokens that have not
     * expired: counted and issued in one transaction.
     */
    @POST
    public Uni<Response> create(CreateTokenRequest request) {
        if (currentUser.byApiToken()) {
            throw new ApiException(403, null, "an API token cannot create API tokens: sign in (the settings page, or "
                + "POST /api/auth/login) and create it with that session");
        }
        String name = request == null ? null : request.name();
        Integer days = request == null ? null : request.expiresInDays();
        AuthenticatedUser user = currentUser.get();
        return Panache.withTransaction(() -> limits.admitApiToken(user.id())
                .flatMap(admitted -> tokens.issue(user, name, days))).map(issued -> Response
            .created(URI.create("/api/tokens/" + issued.token().id))
            .entity(new CreatedToken(issued.token().id, issued.token().name, issued.value(),
                issued.token().createdAt, issued.token().expiresAt)).build());
    }

    @GET
    public Uni<List<TokenView>> list() {
        return tokens.list(currentUser.get()).map(list -> list.stream().map(TokenView::of).toList());
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> revoke(@PathParam("id") String id) {
        return tokens.revoke(currentUser.get(), id).map(v -> Response.noContent().build());
    }
}
