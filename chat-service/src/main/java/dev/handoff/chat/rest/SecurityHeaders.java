package dev.handoff.chat.rest;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web page's protections as HTTP headers on every answer of chat-service (the page, its scripts and styles, the
 * API, errors), set just before the headers go out, so no handler can forget them: a Content-Security-Policy with
 * {@code frame-ancestors 'none'} (a {@code <meta>} policy cannot forbid framing), {@code nosniff},
 * {@code no-referrer}, and {@code Strict-Transport-Security} when the request came over https (directly or, with
 * Quarkus' proxy address forwarding on, as the proxy says).
 */
@ApplicationScoped
public class SecurityHeaders {

    /** Only this origin's scripts, styles and connections; nothing may frame the page. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors 'none'";
    static final String HSTS = "max-age=31536000";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::addOnHeadersEnd);
    }

    void addOnHeadersEnd(RoutingContext context) {
        boolean https = "https".equalsIgnoreCase(context.request().scheme());
        context.addHeadersEndHandler(v -> {
            HttpServerResponse response = context.response();
            response.headers().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.headers().set("X-Content-Type-Options", "nosniff");
            response.headers().set("Referrer-Policy", "no-referrer");
            if (https) {
                response.headers().set("Strict-Transport-Security", HSTS);
            }
        });
        context.next();
    }
}
