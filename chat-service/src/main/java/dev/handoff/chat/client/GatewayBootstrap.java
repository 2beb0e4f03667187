package dev.handoff.chat.client;

import dev.handoff.chat.rest.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one way chat-service reads what the gateway serves nodes: the vm-agent's SHA-256 for the attach answer, asked
 * anew for each attach (the gateway computes it from the file it serves, so a new build is named at once). The
 * gateway away, serving no jar, or answering something that is not a SHA-256 is a 503 naming it.
 */
@ApplicationScoped
public class GatewayBootstrap {

    private static final Logger LOG = Logger.getLogger(GatewayBootstrap.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    @Inject
    @RestClient
    GatewayBootstrapApi api;

    public Uni<String> vmAgentSha256() {
        return api.vmAgentJarSha256()
            .onFailure(f -> !(f instanceof WebApplicationException web) || web.getResponse().getStatus() >= 500)
            .retry().withBackOff(Duration.ofMillis(100)).atMost(2)
            .map(answer -> {
                String sha256 = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
                if (!SHA256_HEX.matcher(sha256).matches()) {
                    throw new IllegalStateException("the gateway's vm-agent.jar.sha256 is not a SHA-256");
                }
                return sha256;
            })
            .onFailure().transform(f -> {
                LOG.warnf("the vm-agent's SHA-256 could not be read from the gateway: %s", f.toString());
                return new ApiException(503, null, "the gateway does not serve the vm-agent now (its SHA-256 could "
                    + "not be read); try again");
            });
    }
}
