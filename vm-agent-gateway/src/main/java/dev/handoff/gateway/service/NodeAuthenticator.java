package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.contracts.node.NodeMessage.Hello;
import dev.handoff.contracts.node.NodeTokens;
import dev.handoff.gateway.repository.CredentialRepository;
import dev.handoff.gateway.repository.NodeCredential;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Admits nodes. A node's first hello must carry its one-time token, which is then spent; the Welcome gives it a
 * reconnect secret for later connections. Wrong, expired and reused tokens are refused and logged.
 */
@ApplicationScoped
public class NodeAuthenticator {

    /** The outcome of a hello: a reconnect secret to send in the Welcome, or why the node is refused. */
    public record Admission(String nodeId, String reconnectSecret, String refusal) {
        public boolean admitted() {
            return refusal == null;
        }
    }

    private static final Logger LOG = Logger.getLogger(NodeAuthenticator.class);

    /** How long a hello from a node not yet registered is retried (NodeRegistered may still be on its way). */
    static final Duration REGISTRATION_GRACE = Duration.ofSeconds(10);

    static final String CONSUMER = "gateway-registrations";

    @Inject
    CredentialRepository credentials;

    @Inject
    EventTransactions transactions;

    /** Stores the expected token hash of a node the provisioner created. */
    public Uni<Void> register(Envelope registered) {
        NodeRegistered payload = registered.payload(NodeRegistered.class);
        return transactions.applyOnce(CONSUMER, registered, () -> credentials.find(registered.nodeId()).flatMap(existing -> {
            if (existing != null) {
                if (neverUsed(existing) && !existing.tokenSha256.equals(payload.tokenSha256())) {
                    // The provisioner launched the node again after a crash; the token it first made was lost
                    // unused with it, so the new one replaces it.
                    existing.tokenSha256 = payload.tokenSha256();
                    existing.tokenExpiresAt = payload.tokenExpiresAt();
                    existing.bootstrap = payload.onlyForExchange() ? Boolean.TRUE : null;
                    LOG.infof("node %s registered again by %s provider with a new token (never used the first)",
                        registered.nodeId(), payload.provider());
                }
                return Uni.createFrom().item(Outcome.none());
            }
            NodeCredential credential = new NodeCredential();
            credential.nodeId = registered.nodeId();
            credential.tokenSha256 = payload.tokenSha256();
            credential.tokenExpiresAt = payload.tokenExpiresAt();
            credential.bootstrap = payload.onlyForExchange() ? Boolean.TRUE : null;
            LOG.infof("node %s registered by %s provider", registered.nodeId(), payload.provider());
            return credentials.persist(credential).replaceWith(Outcome.none());
        })).replaceWithVoid();
    }

    /** Whether no node ever used the credential: token not used or exchanged, no reconnect secret issued. */
    private static boolean neverUsed(NodeCredential credential) {
        return credential.tokenUsedAt == null && credential.bootstrapExchangedAt == null
            && credential.reconnectSha256 == null;
    }

    /**
     * Forgets a node the provisioner deleted: its credential goes, so neither its token nor its reconnect secret
     * admits it again. Returns whether this delivery was the first.
     */
    public Uni<Boolean> forget(Envelope deleted) {
        return transactions.applyOnce(CONSUMER, deleted, () -> credentials.find(deleted.nodeId()).flatMap(existing -> {
            LOG.infof("node %s deleted by the provisioner; its credentials are forgotten", deleted.nodeId());
            return (existing == null ? Uni.createFrom().voidItem() : credentials.delete(existing))
                .replaceWith(Outcome.of(Boolean.TRUE, List.<Envelope>of()));
        })).map(first -> first != null);
    }

    public Uni<Admission> admit(Hello hello) {
        if (hello.nodeId() == null || hello.nodeId().isBlank()) {
            return Uni.createFrom().item(refuse("?", "hello without nodeId"));
        }
        return Panache.withSession(() -> credentials.find(hello.nodeId()))
            .flatMap(credential -> credential == null
                ? Uni.createFrom().failure(new NotRegisteredYet())
                : Uni.createFrom().item(credential))
            .onFailure(NotRegisteredYet.class).retry()
            .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).expireIn(REGISTRATION_GRACE.toMillis())
            .onFailure(NotRegisteredYet.class).recoverWithNull()
            .flatMap(found -> found == null
                ? Uni.createFrom().item(refuse(hello.nodeId(), "unknown node"))
                : Panache.withTransaction(() -> credentials.find(hello.nodeId()).map(c -> check(c, hello)))
                .onFailure().retry().withBackOff(Duration.ofMillis(50), Duration.ofSeconds(1)).atMost(5));
    }

    /**
     * The node sent its first frame on the connection whose Welcome carried the secret hashed {@code issuedSha256}:
     * it keeps that secret now (the vm-agent stores it before it sends anything), so the secret before it, kept
     * valid in case the Welcome was lost, stops admitting anyone. A stolen older secret is then worthless. Best
     * effort: when this fails, the older secret stays valid until the node's next hello.
     */
    public Uni<Void> confirmKept(String nodeId, String issuedSha256) {
        return Panache.withTransaction(() -> credentials.find(nodeId).invoke(credential -> {
                if (credential != null && credential.previousReconnectSha256 != null
                    && NodeTokens.sameHash(credential.reconnectSha256, issuedSha256)) {
                    credential.previousReconnectSha256 = null;
                    LOG.debugf("node %s keeps its new reconnect secret; the one before it no longer admits it", nodeId);
                }
            }))
            .replaceWithVoid()
            .onFailure().recoverWithItem(failure -> {
                LOG.warnf("node %s: could not retire its previous reconnect secret (%s)", nodeId, failure.getMessage());
                return null;
            });
    }

    private Admission check(NodeCredential credential, Hello hello) {
        Instant now = Instant.now();
        if (hello.token() != null) {
            if (Boolean.TRUE.equals(credential.bootstrap) && credential.bootstrapExchangedAt == null) {
                return refuse(hello.nodeId(), "a bootstrap token is not a node token; exchange it first");
            }
            if (!NodeTokens.sameHash(credential.tokenSha256, NodeTokens.sha256Hex(hello.token()))) {
                return refuse(hello.nodeId(), "wrong token");
            }
            if (credential.tokenUsedAt != null) {
                return refuse(hello.nodeId(), "token already used at " + credential.tokenUsedAt);
            }
            if (now.isAfter(credential.tokenExpiresAt)) {
                return refuse(hello.nodeId(), "token expired at " + credential.tokenExpiresAt);
            }
            credential.tokenUsedAt = now;
            credential.previousReconnectSha256 = null;
        } else if (hello.reconnectSecret() != null) {
            String presented = NodeTokens.sha256Hex(hello.reconnectSecret());
            if (!NodeTokens.sameHash(credential.reconnectSha256, presented)
                && !NodeTokens.sameHash(credential.previousReconnectSha256, presented)) {
                return refuse(hello.nodeId(), "wrong reconnect secret");
            }
            credential.previousReconnectSha256 = presented;
        } else {
            return refuse(hello.nodeId(), "hello without token or reconnect secret");
        }
        String secret = NodeTokens.newSecret();
        credential.reconnectSha256 = NodeTokens.sha256Hex(secret);
        credential.lastHelloAt = now;
        return new Admission(hello.nodeId(), secret, null);
    }

    private static Admission refuse(String nodeId, String reason) {
        LOG.warnf("node %s refused: %s", nodeId, reason);
        return new Admission(nodeId, null, reason);
    }

    private static final class NotRegisteredYet extends RuntimeException {
        NotRegisteredYet() {
            super("node not registered yet", null, false, false);
        }
    }
}
