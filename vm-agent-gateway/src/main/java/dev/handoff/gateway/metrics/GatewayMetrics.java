package dev.handoff.gateway.metrics;

import dev.handoff.gateway.service.NodeCommandQueues;
import dev.handoff.gateway.service.NodeConnections;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** What this gateway replica holds now: the nodes connected to it and the commands waiting for their node. */
@ApplicationScoped
public class GatewayMetrics {

    public static final String NODES_CONNECTED = "handoff.gateway.nodes.connected";
    public static final String COMMANDS_WAITING = "handoff.gateway.commands.waiting";

    @Inject
    MeterRegistry registry;

    @Inject
    NodeConnections connections;

    @Inject
    NodeCommandQueues queues;

    void register(@Observes StartupEvent startup) {
        Gauge.builder(NODES_CONNECTED, connections, NodeConnections::connected)
            .description("Nodes holding a WebSocket connection to this gateway replica")
            .register(registry);
        Gauge.builder(COMMANDS_WAITING, queues, NodeCommandQueues::waiting)
            .description("Node commands this replica took from Kafka and has not yet delivered or given up on")
            .register(registry);
    }
}
