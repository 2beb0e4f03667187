package dev.handoff.provisioner.service;

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

import java.util.stream.Collectors;

/**
 * Every {@code handoff.provisioner.hetzner.reconcile-interval} (5 min): lists the servers labelled as Handoff's and
 * deletes each whose node the database does not know or has deleted (a create whose answer was lost, a crash
 * between delete steps, a server made by hand with the label), logging each. Only when a Hetzner token is set.
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
        if (hetzner.unavailableReason(Owners.LOCAL).isPresent()) {
            return;
        }
        SafeContext.run(null, "Hetzner orphan reconcile", this::reconcile);
    }

    Uni<Void> reconcile() {
        return Panache.withSession(() -> nodes.existingOrDeleting())
            .map(known -> known.stream().filter(node -> HetznerProvider.NAME.equals(node.provider))
                .filter(node -> node.status.exists() || node.status == NodeStatus.DELETING)
                .map(node -> node.id).collect(Collectors.toSet()))
            .flatMap(known -> VertxContextSupport.executeBlocking(() ->
                hetzner.forOwner(Owners.LOCAL).deleteOrphans(known::contains)))
            .invoke(deleted -> {
                if (!deleted.isEmpty()) {
                    LOG.warnf("Hetzner reconcile deleted %d orphan servers", deleted.size());
                }
            })
            .replaceWithVoid();
    }
}
