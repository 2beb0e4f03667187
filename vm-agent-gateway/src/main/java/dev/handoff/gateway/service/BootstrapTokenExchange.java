package dev.handoff.gateway.service;

import dev.handoff.contracts.node.NodeTokens;
import dev.handoff.gateway.repository.CredentialRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Exchanges a cloud VM's one-time bootstrap token (from its user_data) for its node token, once: the node token's
 * hash replaces the bootstrap token's, so the bootstrap token, which stays readable in the VM's metadata, is spent
 * and admits nothing. The node token goes only to the caller.
 */
@ApplicationScoped
public class BootstrapTokenExchange {

    /** The node token, or why there is none. */
    public record Exchanged(String nodeId, String nodeToken, String refusal) {
    }

    private static final Logger LOG = Logger.getLogger(BootstrapTokenExchange.class);

    @Inject
    CredentialRepository credentials;

    public Uni<Exchanged> exchange(String bootstrapToken) {
        if (bootstrapToken == null || bootstrapToken.isBlank()) {
            return Uni.createFrom().item(new Exchanged(null, null, "no bootstrap token"));
        }
        return Panache.withTransaction(() -> credentials.byTokenHash(NodeTokens.sha256Hex(bootstrapToken.strip()))
            .map(credential -> {
                Instant now = Instant.now();
                if (credential == null || !Boolean.TRUE.equals(credential.bootstrap)
                    || credential.bootstrapExchangedAt != null) {
                    LOG.warn("bootstrap token exchange refused: unknown or already exchanged token");
                    return new Exchanged(null, null, "unknown or already used bootstrap token");
                }
                if (now.isAfter(credential.tokenExpiresAt)) {
                    LOG.warnf("node %s: bootstrap token expired at %s", credential.nodeId, credential.tokenExpiresAt);
                    return new Exchanged(credential.nodeId, null, "bootstrap token expired");
                }
                String nodeToken = NodeTokens.newSecret();
                credential.tokenSha256 = NodeTokens.sha256Hex(nodeToken);
                credential.bootstrapExchangedAt = now;
                LOG.infof("node %s: bootstrap token exchanged for its node token", credential.nodeId);
                return new Exchanged(credential.nodeId, nodeToken, null);
            }));
    }
}
