package dev.handoff.bench.node;

import dev.handoff.vmagent.gateway.GatewayClient;
import dev.handoff.vmagent.gateway.NodeIdentity;
import dev.handoff.vmagent.gateway.OutboundQueue;
import dev.handoff.vmagent.gateway.ReconnectBackoff;
import dev.handoff.vmagent.node.HeartbeatSender;
import dev.handoff.vmagent.node.NodeVitals;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One node without a machine: the vm-agent's own protocol code ({@link GatewayClient}: hello, reconnects with the
 * reconnect secret; {@link OutboundQueue}: numbered reports, resend until acked; {@link HeartbeatSender}) against
 * the real gateway, with {@link SimulatedAgents} answering the commands instead of git and agent processes. Many fit
 * in one JVM (three threads each).
 */
public final class SimulatedNode implements AutoCloseable {

    private final OutboundQueue outbound = new OutboundQueue();
    private final HeartbeatSender heartbeats;
    private final SimulatedAgents agents;
    private final GatewayClient client;
    private final Thread connection;

    /**
     * @param gatewayUrl the gateway's node endpoint ({@code ws://…/nodes/connect})
     * @param nodeId     and {@code token}: from {@code POST /api/nodes/attach}
     * @param workDir    only read for the heartbeat's free disk space
     */
    public SimulatedNode(String gatewayUrl, String nodeId, String token, Path workDir, Duration heartbeatInterval,
                         SendLog sends) {
        agents = new SimulatedAgents(outbound, sends);
        heartbeats = new HeartbeatSender(new NodeVitals(workDir), outbound, heartbeatInterval);
        client = new GatewayClient(URI.create(gatewayUrl),
            new NodeIdentity(nodeId, token, "sim-" + nodeId.substring(0, Math.min(8, nodeId.length())), "bench-sim"),
            outbound, agents::handle, new ReconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)));
        connection = new Thread(client::runUntilRefusedOrStopped, "sim-node-" + nodeId);
        connection.setDaemon(true);
    }

    public SimulatedNode start() {
        outbound.start();
        heartbeats.start();
        connection.start();
        return this;
    }

    /** Reports the gateway has not acknowledged yet. */
    public int unacknowledged() {
        return outbound.pendingCount();
    }

    @Override
    public void close() {
        client.stop();
        agents.close();
        heartbeats.close();
        outbound.close();
    }
}
