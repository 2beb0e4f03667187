package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.NodeHeartbeat;
import dev.handoff.contracts.node.NodeMessage.Heartbeat;
import dev.handoff.gateway.config.GatewayConfig;
import dev.handoff.servicekit.EventPublisher;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Turns a node's heartbeat frame into a NodeHeartbeat event for the provisioner, at most one per node per
 * {@code handoff.gateway.heartbeat-forward-interval}. Published straight to Kafka, not through the outbox: a
 * heartbeat is a sample, not a fact anyone must see; losing one (a crash between frame and publish) only means the
 * next one counts, and no database row is written per heartbeat.
 */
@ApplicationScoped
public class HeartbeatForwarder {

    private static final Logger LOG = Logger.getLogger(HeartbeatForwarder.class);

    @Inject
    GatewayConfig config;

    @Inject
    EventPublisher publisher;

    private HeartbeatSampler sampler;

    @PostConstruct
    void init() {
        sampler = new HeartbeatSampler(config.heartbeatForwardInterval());
    }

    public Uni<Void> forward(String nodeId, Heartbeat heartbeat) {
        if (!sampler.take(nodeId, Instant.now())) {
            return Uni.createFrom().voidItem();
        }
        Envelope event = Envelope.forNode(new NodeHeartbeat(heartbeat.loadAverage(), heartbeat.cpus(),
            heartbeat.memoryTotalBytes(), heartbeat.memoryAvailableBytes(), heartbeat.diskFreeBytes()), nodeId, null);
        return publisher.publish(event)
            .onFailure().recoverWithItem(failure -> {
                LOG.debugf("node %s: heartbeat not published (%s); the next one will be", nodeId,
                    failure.getMessage());
                return null;
            });
    }

    public void forget(String nodeId) {
        sampler.forget(nodeId);
    }
}
