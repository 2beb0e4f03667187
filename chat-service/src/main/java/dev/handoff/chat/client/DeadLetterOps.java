package dev.handoff.chat.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.servicekit.internal.InternalToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * The dead letters, as the orchestrator keeps them, for operators: lists and replays through
 * {@link OrchestratorOpsClient} with the internal service token. The orchestrator's 404 stays 404; any other
 * error it answers is 502, and no answer at all (not reachable, timed out) 503, both naming the orchestrator, as
 * the other peers' absence is answered.
 */
@ApplicationScoped
public class DeadLetterOps {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final Logger LOG = Logger.getLogger(DeadLetterOps.class);

    @Inject
    @RestClient
    OrchestratorOpsClient orchestrator;

    @ConfigProperty(name = InternalToken.CONFIG_KEY)
    Optional<String> internalToken;

    public Uni<JsonNode> list(int limit) {
        return guarded(orchestrator.deadLetters(limit, authorization()), "list the dead letters");
    }

    public Uni<JsonNode> replay(int partition, long offset) {
        return guarded(orchestrator.replay(partition, offset, authorization()), "replay " + partition + "/" + offset);
    }

    private String authorization() {
        return InternalToken.bearer(internalToken.orElseThrow(() -> new ApiException(503, null,
            "the orchestrator cannot be asked: " + InternalToken.CONFIG_KEY + " is not configured")));
    }

    private static Uni<JsonNode> guarded(Uni<JsonNode> call, String what) {
        return call.ifNoItem().after(TIMEOUT).fail()
            .onFailure().transform(failure -> {
                if (failure instanceof WebApplicationException web && web.getResponse().getStatus() == 404) {
                    return ApiException.notFound("no dead letter to " + what);
                }
                if (failure instanceof ApiException api) {
                    return api;
                }
                LOG.warnf("orchestrator could not %s: %s", what, failure.toString());
                if (failure instanceof WebApplicationException web) {
                    return new ApiException(502, null, "the orchestrator could not " + what + ": HTTP "
                        + web.getResponse().getStatus());
                }
                return new ApiException(503, null, "the orchestrator could not be reached to " + what + ": "
                    + failure.getClass().getSimpleName());
            });
    }
}
