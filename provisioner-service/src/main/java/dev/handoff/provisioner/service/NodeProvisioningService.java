package dev.handoff.provisioner.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.NodeFailed;
import dev.handoff.contracts.events.NodeReady;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.contracts.node.NodeTokens;
import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.config.ProvisionerConfig;
import dev.handoff.provisioner.provider.LocalNodeProvider;
import dev.handoff.provisioner.repository.Node;
import dev.handoff.provisioner.repository.NodeRepository;
import dev.handoff.provisioner.repository.NodeRequest;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers NodeRequested: with a node that is already connected (NodeReady at once), or by creating a node and
 * answering when its vm-agent has connected to the gateway (NodeConnected), never when the process merely started.
 */
@ApplicationScoped
public class NodeProvisioningService {

    static final String CONSUMER_REQUESTS = "provisioner-requests";
    static final String CONSUMER_GATEWAY = "provisioner-gateway-events";

    private static final Logger LOG = Logger.getLogger(NodeProvisioningService.class);

    /** What one request leads to: events to publish, and a node to launch (token kept only in memory). */
    private record Plan(List<Envelope> events, String launchNodeId, String launchToken) {
        static Plan publish(List<Envelope> events) {
            return new Plan(events, null, null);
        }

        @Override
        public String toString() {
            return "Plan[" + events.size() + " events, launch " + launchNodeId + "]";
        }
    }

    @Inject
    NodeRepository nodes;

    @Inject
    LocalNodeProvider localProvider;

    @Inject
    ProvisionerConfig config;

    @Inject
    EventTransactions transactions;

    public Uni<Void> onNodeRequested(Envelope request) {
        return transactions.<Plan>applyOnce(CONSUMER_REQUESTS, request, () -> (config.reuseConnectedNodes()
                ? nodes.reusable(config.provider()).flatMap(node -> node == null
                ? createNode(request) : attach(request, node))
                : createNode(request)).map(plan -> Outcome.of(plan, plan.events())))
            .flatMap(plan -> plan == null || plan.launchNodeId() == null
                ? Uni.createFrom().voidItem() : launch(plan.launchNodeId(), plan.launchToken()));
    }

    private Uni<Plan> attach(Envelope request, Node node) {
        NodeRequest waiting = remember(request, node.id);
        if (node.status == NodeStatus.CONNECTED) {
            waiting.answeredAt = Instant.now();
            LOG.infof("task %s: reusing connected node %s", request.taskId(), node.id);
            return nodes.persist(waiting).replaceWith(Plan.publish(List.of(
                request.next(new NodeReady(node.provider, true), node.id))));
        }
        LOG.infof("task %s: waiting for node %s, which is still connecting", request.taskId(), node.id);
        return nodes.persist(waiting).replaceWith(Plan.publish(List.of()));
    }

    private Uni<Plan> createNode(Envelope request) {
        if (!LocalNodeProvider.NAME.equals(config.provider())) {
            return Uni.createFrom().item(Plan.publish(List.of(request.next(
                new NodeFailed("provider '" + config.provider() + "' is not available yet")))));
        }
        Node node = new Node();
        node.id = "node-" + UUID.randomUUID().toString().substring(0, 8);
        node.provider = config.provider();
        node.status = NodeStatus.PROVISIONING;
        node.createdForTask = request.taskId();
        node.createdAt = Instant.now();
        String token = NodeTokens.newSecret();
        Envelope registered = request.next(new NodeRegistered(node.provider, NodeTokens.sha256Hex(token),
            node.createdAt.plus(config.tokenTtl())), node.id);
        return nodes.persist(node)
            .flatMap(n -> nodes.persist(remember(request, node.id)))
            .replaceWith(new Plan(List.of(registered), node.id, token));
    }

    /** Starts the node's process off the event loop, and watches it end. */
    private Uni<Void> launch(String nodeId, String token) {
        return Uni.createFrom().item(() -> {
                try {
                    return localProvider.launch(nodeId, token);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            })
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
            .invoke(process -> process.onExit().thenAccept(ended ->
                awaitOnVertx(nodeId, () -> onNodeExited(nodeId, ended.exitValue()))))
            .onFailure().invoke(failure -> {
                LOG.errorf("node %s: could not start vm-agent: %s", nodeId, failure.getMessage());
                awaitOnVertx(nodeId, () -> failNode(nodeId, "could not start the vm-agent: " + failure.getMessage()));
            })
            .onFailure().recoverWithNull()
            .replaceWithVoid();
    }

    public Uni<Void> onNodeConnected(Envelope connected) {
        return answerWaiting(connected, connected.nodeId(), node -> {
            node.status = NodeStatus.CONNECTED;
            node.connectedAt = Instant.now();
            node.lastSeenAt = node.connectedAt;
            return request -> new NodeReady(node.provider, !request.taskId.equals(node.createdForTask));
        });
    }

    public Uni<Void> onNodeDisconnected(Envelope disconnected) {
        return transactions.applyOnce(CONSUMER_GATEWAY, disconnected, () -> nodes.node(disconnected.nodeId())
            .invoke(node -> {
                if (node != null && node.status == NodeStatus.CONNECTED) {
                    node.status = NodeStatus.DISCONNECTED;
                }
            }).replaceWith(Outcome.none())).replaceWithVoid();
    }

    Uni<Void> onNodeExited(String nodeId, int exitCode) {
        String reason = "the node's vm-agent exited with code " + exitCode + ": " + localProvider.logTail(nodeId, 5);
        LOG.warnf("node %s: %s", nodeId, reason);
        return failNode(nodeId, reason);
    }

    private Uni<Void> failNode(String nodeId, String reason) {
        return answerWaiting(null, nodeId, node -> {
            node.status = NodeStatus.FAILED;
            node.failureReason = reason;
            return request -> new NodeFailed(reason);
        });
    }

    /**
     * Changes the node and answers every request still waiting on it, each caused by its NodeRequested, in one
     * transaction; once per {@code cause} when the change comes from a consumed event.
     */
    private Uni<Void> answerWaiting(Envelope cause, String nodeId,
                                    Function<Node, Function<NodeRequest, EventPayload>> change) {
        Supplier<Uni<Outcome<Void>>> work = () -> nodes.node(nodeId).flatMap(node -> {
            if (node == null) {
                LOG.warnf("event for unknown node %s ignored", nodeId);
                return Uni.createFrom().item(Outcome.none());
            }
            Function<NodeRequest, EventPayload> answer = change.apply(node);
            return nodes.waitingOn(nodeId).map(waiting -> {
                List<Envelope> events = new ArrayList<>();
                for (NodeRequest request : waiting) {
                    request.answeredAt = Instant.now();
                    events.add(Envelope.causedBy(request.requestEventId, request.taskId, nodeId,
                        request.traceparent, answer.apply(request)));
                }
                return Outcome.events(events);
            });
        });
        return (cause == null ? transactions.commit(work) : transactions.applyOnce(CONSUMER_GATEWAY, cause, work))
            .replaceWithVoid();
    }

    /** Runs database work from a thread outside Vert.x (process watchers, workers), waiting for it. */
    private static void awaitOnVertx(String nodeId, Supplier<Uni<Void>> work) {
        try {
            VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable failure) {
            LOG.errorf(failure, "node %s: state change not recorded", nodeId);
        }
    }

    private static NodeRequest remember(Envelope request, String nodeId) {
        NodeRequest waiting = new NodeRequest();
        waiting.requestEventId = request.eventId();
        waiting.taskId = request.taskId();
        waiting.traceparent = request.traceparent();
        waiting.nodeId = nodeId;
        waiting.requestedAt = Instant.now();
        return waiting;
    }
}
