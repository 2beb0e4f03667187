package dev.handoff.provisioner.service;

import dev.handoff.provisioner.repository.Node;
import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.Owners;
import dev.handoff.provisioner.provider.HetznerProvider;
import dev.handoff.provisioner.repository.NodeRepository;
import dev.handoff.servicekit.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every {@code handoff.provisioner.hetzner.reconcile-interval} (5 min): lists the servers labelled as Handoff's and
 * deletes each whose node the database does not know or has deleted (a create whose answer was lost, a crash
 * between delete steps, a server made by hand with the label), logging each; in the installation's account and in
 * each account of a user's own token.
 */
@ApplicationScoped
public class HetznerOrphanSweep {

    private static final Logger LOG = Logger.getLogger(HetznerOrphanSweep.class);

    @Inject
    NodeRepository nodes;

    @Inject
    HetznerProvider hetzner;

    @Scheduled(every = "${handoff.provisioner.hetzner.reconcile-interval:5m}", delayed = "30s")
    void sweep() {
        SafeContext.run(null, "Hetzner orphan reconcile", this::reconcile);
    }

    /**
     * Reconciles every Hetzner account Handoff makes servers in: the installation's token and each token of a user
     * who has Hetzner nodes (the same token is listed once).
     */
    Uni<Void> reconcile() {
        return Panache.withSession(() -> nodes.existingOrDeleting())
            .flatMap(all -> {
                List<Node> hetznerNodes = all.stream().filter(node -> HetznerProvider.NAME.equals(node.provider))
                    .toList();
                Set<String> known = hetznerNodes.stream()
                    .filter(node -> node.status.exists() || node.status == NodeStatus.DELETING)
                    .map(node -> node.id).collect(Collectors.toSet());
                Set<String> owners = new LinkedHashSet<>();
                owners.add(Owners.LOCAL);
                hetznerNodes.forEach(node -> owners.add(node.ownerId == null ? Owners.LOCAL : node.ownerId));
                return VertxContextSupport.executeBlocking(() -> deleteOrphans(owners, known));
            })
            .invoke(deleted -> {
                if (deleted > 0) {
                    LOG.warnf("Hetzner reconcile deleted %d orphan servers", deleted);
                }
            })
            .replaceWithVoid();
    }

    private int deleteOrphans(Set<String> owners, Set<String> known) {
        Set<String> tokensSeen = new HashSet<>();
        int deleted = 0;
        for (String owner : owners) {
            Optional<String> token = hetzner.tokenFor(owner);
            if (token.isEmpty() || !tokensSeen.add(token.get()) || hetzner.unavailableReason(owner).isPresent()) {
                continue;
            }
            deleted += hetzner.forOwner(owner).deleteOrphans(known::contains).size();
        }
        return deleted;
    }
}
