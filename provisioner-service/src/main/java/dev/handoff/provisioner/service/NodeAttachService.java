package dev.handoff.provisioner.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.contracts.node.NodeTokens;
import dev.handoff.provisioner.Owners;
import dev.handoff.provisioner.config.ProvisionerConfig;
import dev.handoff.provisioner.repository.Node;
import dev.handoff.provisioner.repository.NodeRepository;
import dev.handoff.provisioner.rest.AttachTicket;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A user's own machine as a node: creates the node (provider {@value WarmPool#ATTACHED}, no size, costs nothing,
 * never deleted by the pool) and its one-time token; NodeRegistered (the token's hash only) commits with it. The
 * machine joins when its vm-agent says hello with the token, like any node.
 */
@ApplicationScoped
public class NodeAttachService {

    private static final Logger LOG = Logger.getLogger(NodeAttachService.class);

    @Inject
    NodeRepository nodes;

    @Inject
    NodeProvisioningService provisioning;

    @Inject
    ProvisionerConfig config;

    @Inject
    EventTransactions transactions;

    @Inject
    AttachQuota quota;

    /** A new ticket, or why the owner may not attach another machine (nothing was created then). */
    public record Attached(AttachTicket ticket, String refusal) {
    }

    /**
     * The new node's id and token; the token is in no event, log or table (only its hash). Refused, creating nothing,
     * when the owner is at a cap of {@link AttachQuota}: counted under the owner's attach lock in the transaction
     * that creates the node.
     */
    public Uni<Attached> attach(String ownerId) {
        String owner = Owners.orLocal(ownerId);
        String token = NodeTokens.newSecret();
        return transactions.commit(() -> nodes.lockAttachesOf(owner)
            .flatMap(locked -> nodes.existingOf(owner))
            .flatMap(own -> {
                Optional<String> refusal = quota.refusal(own, Instant.now());
                if (refusal.isPresent()) {
                    LOG.infof("attach refused for %s: %s", owner, refusal.get());
                    return Uni.createFrom().item(Outcome.of(new Attached(null, refusal.get()), List.of()));
                }
                Node node = provisioning.newNode(WarmPool.ATTACHED, owner, null);
                Instant expiresAt = node.createdAt.plus(config.attachTokenTtl());
                Envelope registered = Envelope.forNode(new NodeRegistered(node.provider, NodeTokens.sha256Hex(token),
                    expiresAt), node.id, null);
                LOG.infof("node %s: attach token created for %s, valid until %s", node.id, owner, expiresAt);
                return nodes.persist(node).replaceWith(Outcome.of(
                    new Attached(new AttachTicket(node.id, token, expiresAt), null), List.of(registered)));
            }));
    }
}
