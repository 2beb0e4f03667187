package dev.handoff.chat.rest;

import dev.handoff.chat.auth.BrowserSessionService;
import dev.handoff.chat.auth.OidcAccounts;
import dev.handoff.chat.auth.OidcAccounts.OidcIdentity;
import dev.handoff.chat.auth.OidcTenant;
import dev.handoff.chat.auth.Public;
import io.quarkus.oidc.IdToken;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Optional;

/**
 * Team sign-in through the OIDC provider, for the browser: {@code GET /auth/oidc/login} starts it, quarkus-oidc
 * runs the authorization code flow on {@code GET /auth/oidc/callback} (see {@link OidcTenant}), and the callback,
 * once the ID token is verified, signs the browser in with Handoff's own {@code handoff_session} cookie and drops
 * quarkus-oidc's session cookie, so from then on the browser is signed in exactly as after a password sign-in.
 * Every refusal ends on the sign-in page with a message ({@link OidcSignInPage}).
 */
@Path("/auth/oidc")
public class OidcResource {

    private static final Logger LOG = Logger.getLogger(OidcResource.class);

    @Inject
    OidcTenant tenant;

    @Inject
    OidcAccounts accounts;

    @Inject
    BrowserSessionService sessions;

    @Inject
    @IdToken
    JsonWebToken idToken;

    @Inject
    OidcSession oidcSession;

    /** 303 to the callback, where quarkus-oidc sends the browser on to the provider; to the sign-in page when off. */
    @GET
    @Path("login")
    @Public
    public Response login() {
        if (!tenant.enabled()) {
            return OidcSignInPage.withError("Single sign-on is not set up on this Handoff.");
        }
        return Response.seeOther(URI.create(OidcTenant.CALLBACK)).build();
    }

    /**
     * Reached only with a verified ID token (quarkus-oidc answers everything before that): the linked or new
     * account, a new browser session, and 303 to the web chat.
     */
    @GET
    @Path("callback")
    @Public
    @Authenticated
    public Uni<Response> callback(@Context HttpServerRequest http) {
        OidcIdentity identity = new OidcIdentity(idToken.getIssuer(), idToken.getSubject(),
            text(idToken.getClaim("email")), verified(idToken.getClaim("email_verified")),
            text(idToken.getClaim("name")));
        return oidcSession.logout()
            .flatMap(ignored -> accounts.accountFor(identity))
            .flatMap(user -> sessions.open(user))
            .map(value -> Response.seeOther(URI.create(OidcSignInPage.SIGNED_IN))
                .header(HttpHeaders.SET_COOKIE, sessions.cookie(value, http)).build())
            .onFailure(OidcAccounts.SignInRefused.class)
            .recoverWithItem(refused -> OidcSignInPage.withError(refused.getMessage()))
            .onFailure().recoverWithItem(failure -> {
                LOG.errorf(failure, "OIDC sign-in of subject %s at %s failed", identity.subject(), identity.issuer());
                return OidcSignInPage.withError("Sign-in failed on Handoff's side; please try again.");
            });
    }

    /** Where the provider's error answer (the user denied, ...) lands: 303 to the sign-in page with a message. */
    @GET
    @Path("error")
    @Public
    public Response error(@QueryParam("error") String error, @QueryParam("error_description") String description) {
        return OidcSignInPage.withError(OidcSignInPage.providerError(tenant.displayName(), error,
            Optional.ofNullable(description)));
    }

    private static String text(Object claim) {
        if (claim instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        return claim instanceof String value ? value : null;
    }

    private static boolean verified(Object claim) {
        if (claim instanceof Boolean b) {
            return b;
        }
        if (claim instanceof jakarta.json.JsonValue json) {
            return json == jakarta.json.JsonValue.TRUE;
        }
        return claim != null && "true".equals(claim.toString());
    }
}
