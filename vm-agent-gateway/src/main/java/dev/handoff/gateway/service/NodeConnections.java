package dev.handoff.gateway.service;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;
import dev.handoff.gateway.socket.NodeChannel;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The nodes connected to this gateway now, by node id and by connection. */
@ApplicationScoped
public class NodeConnections {

    private final Map<String, NodeChannel> byNode = new ConcurrentHashMap<>();
    private final Map<String, String> nodeByConnection = new ConcurrentHashMap<>();

    /** Records an admitted node; an older connection of the same node is closed. */
    public void admitted(String nodeId, NodeChannel connection) {
        NodeChannel previous = byNode.put(nodeId, connection);
        nodeByConnection.put(connection.id(), nodeId);
        if (previous != null && !previous.id().equals(connection.id())) {
            nodeByConnection.remove(previous.id());
            previous.close().subscribe().with(v -> { }, f -> { });
        }
    }

    /** Forgets the connection; returns its node if it was the node's current connection. */
    public Optional<String> closed(NodeChannel connection) {
        String nodeId = nodeByConnection.remove(connection.id());
        if (nodeId != null && byNode.remove(nodeId, connection)) {
            return Optional.of(nodeId);
        }
        return Optional.empty();
    }

    /** Tells a connected node it is refused and closes its connection (a deleted node). */
    public Uni<Void> refuse(String nodeId, String reason) {
        NodeChannel connection = byNode.remove(nodeId);
        if (connection == null) {
            return Uni.createFrom().voidItem();
        }
        nodeByConnection.remove(connection.id());
        return connection.sendText(NodeProtocol.encode(new NodeMessage.Refused(reason)))
            .flatMap(v -> connection.close())
            .onFailure().recoverWithNull();
    }

    /** How many nodes hold a connection to this gateway now. */
    public int connected() {
        return byNode.size();
    }

    public Optional<String> nodeOf(NodeChannel connection) {
        return Optional.ofNullable(nodeByConnection.get(connection.id()));
    }

    /** Sends a message to the node; fails when it is not connected. */
    public Uni<Void> send(String nodeId, NodeMessage message) {
        NodeChannel connection = byNode.get(nodeId);
        if (connection == null || !connection.isOpen()) {
            return Uni.createFrom().failure(new IllegalStateException("node " + nodeId + " is not connected"));
        }
        return connection.sendText(NodeProtocol.encode(message));
    }
}
