package dev.handoff.servicekit.metrics;

import dev.handoff.servicekit.internal.InternalToken;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Keeps {@code /q/metrics} for the operator's scraper: it is answered only to a request carrying
 * {@code Authorization: Bearer} with the metrics token ({@code handoff.metrics.token}, a read-only token to give
 * Prometheus) or the internal service token; anyone else gets 401. The metrics name endpoints, task counts and
 * node counts, which are not for the users of a shared installation, and chat-service's port is the public one.
 */
@ApplicationScoped
public class MetricsAccess {

    /** The configuration key of the scraper's token; in the environment {@code HANDOFF_METRICS_TOKEN}. */
    public static final String CONFIG_KEY = "handoff.metrics.token";

    @ConfigProperty(name = CONFIG_KEY)
    Optional<String> metricsToken;

    @ConfigProperty(name = InternalToken.CONFIG_KEY)
    Optional<String> internalToken;

    /** Relative to the non-application root unless it starts with a slash, as Quarkus reads it. */
    @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "metrics")
    String path;

    @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q")
    String nonApplicationRoot;

    String fullPath() {
        if (path.startsWith("/")) {
            return path;
        }
        String root = nonApplicationRoot.startsWith("/") ? nonApplicationRoot : "/" + nonApplicationRoot;
        return (root.endsWith("/") ? root : root + "/") + path;
    }

    void guard(@Observes Router router) {
        router.route(fullPath()).order(Integer.MIN_VALUE).handler(context -> {
            String authorization = context.request().getHeader("Authorization");
            if (InternalToken.authorizes(authorization, metricsToken)
                || InternalToken.authorizes(authorization, internalToken)) {
                context.next();
                return;
            }
            context.response().setStatusCode(401)
                .putHeader("Content-Type", "application/json")
                .putHeader("WWW-Authenticate", "Bearer")
                .end(new JsonObject().put("status", 401).put("message", "metrics need Authorization: Bearer <"
                    + CONFIG_KEY + " or the internal service token>").encode());
        });
    }
}
