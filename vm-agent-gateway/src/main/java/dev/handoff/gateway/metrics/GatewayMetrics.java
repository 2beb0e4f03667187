package dev.handoff.gateway.metrics;

import dev.handoff.contracts.Meters;
import dev.handoff.gateway.service.NodeCommandQueues;
import dev.handoff.contracts.Meters;
import dev.handoff.gateway.service.NodeConnections;
import dev.handoff.gateway.service.ReportIntake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Locale;

/**
 * What this gateway replica holds now (the nodes connected to it, the commands waiting for their node) and how its
 * nodes left.
 */
@ApplicationScoped
public class GatewayMetrics {

    public static final String NODES_CONNECTED = Meters.GATEWAY_NODES_CONNECTED.name();
    public static final String COMMANDS_WAITING = Meters.GATEWAY_COMMANDS_WAITING.name();
    public static final String NODE_DISCONNECTS = Meters.GATEWAY_NODE_DISCONNECTS.name();
    public static final String REPORTS = Meters.GATEWAY_REPORTS.name();
    /** A welcomed node closed by the gateway because it sent nothing for its silence limit. */
    public static final String SILENT = "silent";
    /** A welcomed node whose connection closed otherwise (the node, the network, a newer connection). */
    public static final String CLOSED = "closed";

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
        for (String reason : new String[] {SILENT, CLOSED}) {
            disconnects(reason);
        }
        for (ReportIntake.Taken taken : ReportIntake.Taken.values()) {
            reports(taken);
        }
    }

    /** Node reports whose intake committed, each counted by what became of it. */
    public void reportsTaken(List<ReportIntake.Intake> intakes) {
        for (ReportIntake.Intake intake : intakes) {
            if (intake != null) {
                reports(intake.taken()).increment();
            }
        }
    }

    private Counter reports(ReportIntake.Taken taken) {
        return Counter.builder(REPORTS).tag("outcome", taken.name().toLowerCase(Locale.ROOT))
            .description("Numbered node reports this replica committed, by outcome: taken (an event), duplicate, "
                + "out_of_order, refused")
            .register(registry);
    }

    /** One welcomed node's connection ended, for {@code reason} ({@link #SILENT} or {@link #CLOSED}). */
    public void nodeDisconnected(String reason) {
        disconnects(reason).increment();
    }

    private Counter disconnects(String reason) {
        return Counter.builder(NODE_DISCONNECTS).tag("reason", reason)
            .description("Welcomed nodes whose connection to this replica ended, by why").register(registry);
    }
}
