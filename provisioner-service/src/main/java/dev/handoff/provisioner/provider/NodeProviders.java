package dev.handoff.provisioner.provider;

import dev.handoff.provisioner.repository.Node;
import dev.handoff.provisioner.service.WarmPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Deletes a node through the provider that made it. Blocking: call it off the event loop. */
@ApplicationScoped
public class NodeProviders {

    private static final Logger LOG = Logger.getLogger(NodeProviders.class);

    @Inject
    LocalNodeProvider local;

    @Inject
    HetznerProvider hetzner;

    public void delete(Node node) {
        switch (node.provider) {
            case LocalNodeProvider.NAME -> local.stop(node.id, node.providerRef);
            case HetznerProvider.NAME -> hetzner.forOwner(node.ownerId).delete(node.id,
                node.providerRef == null ? null : Long.valueOf(node.providerRef));
            case WarmPool.ATTACHED -> LOG.infof("node %s: an attached machine; the gateway will refuse it", node.id);
            default -> throw new IllegalStateException("node " + node.id + ": provider '" + node.provider
                + "' cannot delete nodes");
        }
    }
}
