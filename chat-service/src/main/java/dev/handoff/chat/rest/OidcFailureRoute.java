package dev.handoff.chat.rest;

import dev.handoff.chat.auth.OidcTenant;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.logging.Logger;

import java.util.regex.Pattern;

/**
 * When quarkus-oidc refuses to complete a sign-in on {@link OidcTenant#CALLBACK} (state that does not match the
 * browser's state cookie, a code the provider will not exchange, an ID token with a wrong audience, issuer, nonce
 * or signature), it fails the request before any resource runs; this failure handler answers 303 to the sign-in
 * page with a readable message instead of a bare 401. Nothing was stored by then: no account, no session.
 */
@ApplicationScoped
public class OidcFailureRoute {

    private static final Logger LOG = Logger.getLogger(OidcFailureRoute.class);
    /** A compact JWS, and jose4j's dump of a token's claims: neither belongs in a log. */
    private static final Pattern TOKENS = Pattern.compile(
        "eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*|JsonWebSignature\\{[^}]*}|claims->\\{.*?}\\)");

    @Inject
    OidcTenant tenant;

    void install(@Observes Router router) {
        router.route(OidcTenant.CALLBACK).failureHandler(this::toSignInPage);
    }

    void toSignInPage(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        Throwable failure = context.failure() == null ? null
            : DefaultAuthFailureHandler.extractRootCause(context.failure());
        if (failure instanceof AuthenticationRedirectException) {
            // Not a failure: quarkus-oidc's redirects (to the provider, to its error path, or dropping the code
            // from the URL) travel this way; Quarkus' error handler sends them as they are.
            context.next();
            return;
        }
        String message;
        if (failure instanceof AuthenticationCompletionException || failure instanceof AuthenticationFailedException) {
            LOG.warnf("OIDC sign-in not completed: %s", withoutTokens(failure.getMessage()));
            message = "Sign-in with " + tenant.displayName() + " could not be completed: the answer from the"
                + " provider was not valid for this browser (expired, used already, or not meant for Handoff)."
                + " Please sign in again.";
        } else {
            LOG.errorf(failure, "OIDC sign-in failed (status %d)", context.statusCode());
            message = "Sign-in with " + tenant.displayName() + " is not available right now; please try again later.";
        }
        context.response().setStatusCode(303)
            .putHeader(HttpHeaders.LOCATION, OidcSignInPage.location(message))
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end();
    }

    /** Why quarkus-oidc refused, with any token or claims cut out (quarkus-oidc's own lines with them are off). */
    static String withoutTokens(String message) {
        return message == null ? "(no reason given)" : TOKENS.matcher(message).replaceAll("<token>");
    }
}
