package dev.handoff.provisioner.provider.hetzner;

import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Handoff nodes as Hetzner Cloud servers: create one whose user_data (from {@link CloudInitRenderer}) carries only
 * the node's one-time bootstrap token, delete one, and delete orphans (servers labelled as Handoff's that the
 * database does not know). Blocking: call it off the event loop.
 */
public final class HetznerNodes {

    private static final Logger LOG = Logger.getLogger(HetznerNodes.class);

    private final HetznerClient client;
    private final URI controlPlaneUrl;
    private final URI gatewayUrl;
    private final CloudInitRenderer renderer = new CloudInitRenderer();

    /**
     * @param controlPlaneUrl where the VM fetches its vm-agent and exchanges its bootstrap token (the gateway's http(s) address)
     * @param gatewayUrl      the WebSocket URL the vm-agent dials
     */
    public HetznerNodes(HetznerClient client, URI controlPlaneUrl, URI gatewayUrl) {
        this.client = client;
        this.controlPlaneUrl = controlPlaneUrl;
        this.gatewayUrl = gatewayUrl;
    }

    /**
     * Creates the node's server and waits until Hetzner has built it (not until its vm-agent connected: that is
     * NodeConnected). Returns the server id.
     */
    public long create(String nodeId, String size, String bootstrapToken) {
        String userData = renderer.render(new NodeBootstrap(nodeId, controlPlaneUrl, gatewayUrl, bootstrapToken));
        CreatedServer created = client.createServer(new ServerSpec(nodeId, ServerSize.named(size), userData));
        created.action().ifPresentOrElse(action -> client.awaitAction(action.id()),
            () -> client.awaitRunning(created.server().id()));
        LOG.infof("node %s: Hetzner server %d created in %s", nodeId, created.server().id(), created.location());
        return created.server().id();
    }

    /** The id of a server labelled with the node, if Hetzner has one (a create that went through before a crash). */
    public Optional<Long> existingServer(String nodeId) {
        return client.listServers(HandoffLabels.selectorForNode(nodeId)).stream().map(HetznerServer::id).findFirst();
    }

    /**
     * Deletes the node's server: by its id when known, else every server labelled with the node (a create that
     * failed after Hetzner accepted it). A server already gone is fine.
     */
    public void delete(String nodeId, Long serverId) {
        List<Long> ids = new ArrayList<>();
        if (serverId != null) {
            ids.add(serverId);
        } else {
            client.listServers(HandoffLabels.selectorForNode(nodeId)).forEach(server -> ids.add(server.id()));
        }
        for (long id : ids) {
            client.deleteServer(id).ifPresent(action -> client.awaitAction(action.id()));
            LOG.infof("node %s: Hetzner server %d deleted", nodeId, id);
        }
    }

    /**
     * Lists every server labelled {@code managed-by=handoff} and deletes each whose node {@code known} does not
     * accept (no such node, or deleted), logging each. Returns the deleted servers.
     */
    public List<HetznerServer> deleteOrphans(Predicate<String> known) {
        List<HetznerServer> deleted = new ArrayList<>();
        for (HetznerServer server : client.listServers(HandoffLabels.MANAGED)) {
            String nodeId = server.nodeId().orElse(null);
            if (nodeId != null && known.test(nodeId)) {
                continue;
            }
            LOG.warnf("orphan Hetzner server %d (%s, node %s) is not a node Handoff knows: deleting it", server.id(),
                server.name(), nodeId);
            client.deleteServer(server.id()).ifPresent(action -> client.awaitAction(action.id()));
            deleted.add(server);
        }
        return deleted;
    }
}
