package dev.handoff.provisioner.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.NodeFailed;
import dev.handoff.contracts.events.NodeReady;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.contracts.events.NodeRequested;
import dev.handoff.contracts.node.NodeTokens;
import dev.handoff.provisioner.NodeStatus;
import dev.handoff.provisioner.Owners;
import dev.handoff.provisioner.config.PoolRules;
import dev.handoff.provisioner.config.ProvisionerConfig;
import dev.handoff.provisioner.provider.HetznerProvider;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers NodeRequested: with one of the owner's nodes the warm pool lets the task claim (NodeReady at once when
 * it is connected), or by creating a node within the owner's quota and answering when its vm-agent has connected
 * to the gateway (NodeConnected), never when the process merely started. Over quota, NodeFailed says so.
 */
@ApplicationScoped
public class NodeProvisioningService {

    static final String CONSUMER_REQUESTS = "provisioner-requests";
    static final String CONSUMER_GATEWAY = "provisioner-gateway-events";

    private static final Logger LOG = Logger.getLogger(NodeProvisioningService.class);

    /** NodeFailed's failure kind when a task of a user who is not an operator would need a local node. */
    public static final String LOCAL_NODES_OPERATORS_ONLY = "local_nodes_operators_only";

    /** What the user reads when refused a local node. */
    public static final String LOCAL_NODES_REFUSED = "local nodes run on the Handoff server itself, as its own"
        + " system user, so only operators get them (handoff.provisioner.local.trust-every-account is off):"
        + " attach a machine of your own (POST /api/nodes/attach) and submit again, or ask an operator";

    /** What one request leads to: events to publish, and a node to launch (token kept only in memory). */
    private record Plan(List<Envelope> events, String launchNodeId, String launchToken, String provider,
                        String owner, String size, boolean forOperator) {
        static Plan publish(List<Envelope> events) {
            return new Plan(events, null, null, null, null, null, false);
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
    HetznerProvider hetzner;

    @Inject
    ProvisionerConfig config;

    @Inject
    WarmPool pool;

    @Inject
    EventTransactions transactions;

    /** Nodes this process launched or is launching; the resume sweep never launches them a second time. */
    private final Set<String> launching = ConcurrentHashMap.newKeySet();

    public Uni<Void> onNodeRequested(Envelope request) {
        NodeRequested wanted = request.payload(NodeRequested.class);
        String owner = Owners.orLocal(wanted.ownerId());
        String size = WarmPool.sizeOrSmall(wanted.size());
        Set<String> avoided = Set.copyOf(wanted.avoided());
        boolean localAllowed = mayHaveLocalNodes(wanted);
        return transactions.<Plan>applyOnce(CONSUMER_REQUESTS, request, () -> releaseAvoided(request, avoided)
                .flatMap(released -> nodes.existingOf(owner))
                .map(own -> own.stream().filter(node -> !avoided.contains(node.id)).toList())
                .flatMap(own -> nodes.holdingCounts().flatMap(holding -> {
                    List<Node> claimable = localAllowed ? own
                        : own.stream().filter(node -> !LocalNodeProvider.NAME.equals(node.provider)).toList();
                    Optional<Node> claim = config.reuseConnectedNodes()
                        ? pool.claimable(claimable, holding, size, Instant.now()) : Optional.empty();
                    if (claim.isPresent()) {
                        return attach(request, claim.get());
                    }
                    Optional<String> refusal = pool.quotaRefusal(own);
                    if (refusal.isPresent()) {
                        LOG.infof("task %s: no node for %s: %s", request.taskId(), owner, refusal.get());
                        return Uni.createFrom().item(Plan.publish(List.of(request.next(new NodeFailed(refusal.get())))));
                    }
                    return createNode(request, owner, size, wanted.forOperator(), localAllowed);
                }))
                .map(plan -> Outcome.of(plan, plan.events())))
            .flatMap(plan -> plan == null || plan.launchNodeId() == null ? Uni.createFrom().voidItem()
                : launchCommitted(plan));
    }

    /**
     * A task asking again because a command could not reach its node lets go of that node first (the node's
     * request row is released), so the node no longer counts as held by it.
     */
    private Uni<Void> releaseAvoided(Envelope request, Set<String> avoided) {
        if (avoided.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return nodes.heldBy(request.taskId()).invoke(held -> {
            Instant now = Instant.now();
            held.stream().filter(r -> avoided.contains(r.nodeId)).forEach(r -> {
                r.releasedAt = now;
                LOG.infof("task %s: released node %s, which a command could not reach", request.taskId(), r.nodeId);
            });
        }).replaceWithVoid();
    }

    /** Launches a node whose record just committed; the resume sweep leaves a node launched here alone. */
    private Uni<Void> launchCommitted(Plan plan) {
        launching.add(plan.launchNodeId());
        return HetznerProvider.NAME.equals(plan.provider()) ? createServer(plan)
            : launch(plan.launchNodeId(), plan.launchToken(), plan.forOperator());
    }

    /**
     * Launches a node that was committed but never launched (the provisioner died between the two), once: a
     * local node whose vm-agent is alive after all is adopted (its process id recorded), a Hetzner node whose
     * labelled server exists gets that server's id; only otherwise is the node launched, with a new token whose
     * hash NodeRegistered gives the gateway (the lost one was never used). A node no task waits for is failed.
     */
    public Uni<Void> resumeLaunch(Node node) {
        if (!launching.add(node.id)) {
            return Uni.createFrom().voidItem();
        }
        if (LocalNodeProvider.NAME.equals(node.provider)) {
            Optional<ProcessHandle> running = localProvider.runningProcess(node.id);
            if (running.isPresent()) {
                LOG.infof("node %s: its vm-agent (process %d) was started before a crash; adopting it", node.id,
                    running.get().pid());
                return adopt(node.id, running.get());
            }
            return relaunch(node).flatMap(token -> token == null ? Uni.createFrom().voidItem()
                : launch(node.id, token, Boolean.TRUE.equals(node.ownerOperator)));
        }
        return VertxContextSupport.executeBlocking(() -> hetzner.forOwner(node.ownerId).existingServer(node.id))
            .flatMap(server -> {
                if (server.isPresent()) {
                    LOG.infof("node %s: its Hetzner server %d was created before a crash; recording it", node.id,
                        server.get());
                    return recordServer(node.id, server.get());
                }
                return relaunch(node).flatMap(token -> token == null ? Uni.createFrom().voidItem()
                    : createServer(new Plan(List.of(), node.id, token, node.provider, node.ownerId, node.size,
                        Boolean.TRUE.equals(node.ownerOperator))));
            })
            .onFailure().invoke(failure -> launching.remove(node.id))
            .onFailure().invoke(failure -> LOG.errorf("node %s: resumed launch failed: %s", node.id,
                failure.getMessage()))
            .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Commits a new token's NodeRegistered for a node about to be launched again, caused by the request waiting on
     * it; returns the token, or null when no request waits (the node is failed instead).
     */
    private Uni<String> relaunch(Node node) {
        String token = NodeTokens.newSecret();
        boolean cloud = HetznerProvider.NAME.equals(node.provider);
        return transactions.commit(() -> nodes.waitingOn(node.id).map(waiting -> {
            if (waiting.isEmpty()) {
                return Outcome.of((String) null, List.<Envelope>of());
            }
            NodeRequest request = waiting.get(0);
            LOG.infof("node %s: committed but never launched (for task %s); launching it now", node.id,
                request.taskId);
            return Outcome.of(token, List.of(Envelope.causedBy(request.requestEventId, request.taskId, node.id,
                request.traceparent, new NodeRegistered(node.provider, NodeTokens.sha256Hex(token),
                    Instant.now().plus(cloud ? config.hetzner().bootstrapTokenTtl() : config.tokenTtl()),
                    cloud ? Boolean.TRUE : null))));
        })).flatMap(issued -> issued != null ? Uni.createFrom().item(issued)
            : failNode(node.id, "its launch was interrupted and no task waits for it", null).replaceWith(
                (String) null));
    }

    /** Records a vm-agent process found alive and watches it end, as {@link #launch} does for one it started. */
    private Uni<Void> adopt(String nodeId, ProcessHandle process) {
        process.onExit().thenAccept(ended -> awaitOnVertx(nodeId, () -> onNodeExited(nodeId, -1)));
        return recordProcess(nodeId, process.pid());
    }

    private Uni<Plan> attach(Envelope request, Node node) {
        NodeRequest waiting = remember(request, node.id);
        node.warmSince = null;
        if (node.status == NodeStatus.CONNECTED) {
            waiting.answeredAt = Instant.now();
            waiting.granted = true;
            LOG.infof("task %s: claimed node %s of %s", request.taskId(), node.id, node.ownerId);
            return nodes.persist(waiting).replaceWith(Plan.publish(List.of(
                request.next(new NodeReady(node.provider, true), node.id))));
        }
        LOG.infof("task %s: waiting for node %s, which is still connecting", request.taskId(), node.id);
        return nodes.persist(waiting).replaceWith(Plan.publish(List.of()));
    }

    /**
     * Local nodes run the agent as this service's OS user on the control-plane host: only for operators, for the
     * single local user of a request without an owner, or for everyone where the installation trusts every account.
     */
    private boolean mayHaveLocalNodes(NodeRequested wanted) {
        return wanted.ownerId() == null || wanted.forOperator() || config.local().trustEveryAccount();
    }

    private Uni<Plan> createNode(Envelope request, String owner, String size, boolean forOperator,
                                 boolean localAllowed) {
        String provider = config.provider();
        if (LocalNodeProvider.NAME.equals(provider) && !localAllowed) {
            LOG.warnf("task %s: no local node for %s, who is not an operator", request.taskId(), owner);
            return Uni.createFrom().item(Plan.publish(List.of(request.next(new NodeFailed(LOCAL_NODES_REFUSED,
                false, LOCAL_NODES_OPERATORS_ONLY)))));
        }
        Optional<String> unavailable = switch (provider) {
            case LocalNodeProvider.NAME -> Optional.empty();
            // The token (the user's own, from the secrets store, or the installation's) is checked when the server
            // is created, off the event loop; a missing one fails the node with the reason.
            case HetznerProvider.NAME -> hetzner.configurationProblem();
            default -> Optional.of("provider '" + provider + "' does not exist; use local or hetzner");
        };
        if (unavailable.isPresent()) {
            return Uni.createFrom().item(Plan.publish(List.of(request.next(new NodeFailed(unavailable.get())))));
        }
        Node node = newNode(provider, owner, size);
        node.createdForTask = request.taskId();
        node.ownerOperator = forOperator ? Boolean.TRUE : null;
        String token = NodeTokens.newSecret();
        boolean cloud = HetznerProvider.NAME.equals(provider);
        // A cloud VM gets a bootstrap token in its user_data, exchanged once at the gateway for its node token.
        Envelope registered = request.next(new NodeRegistered(node.provider, NodeTokens.sha256Hex(token),
            node.createdAt.plus(cloud ? config.hetzner().bootstrapTokenTtl() : config.tokenTtl()),
            cloud ? Boolean.TRUE : null), node.id);
        return nodes.persist(node)
            .flatMap(n -> nodes.persist(remember(request, node.id)))
            .replaceWith(new Plan(List.of(registered), node.id, token, provider, owner, size, forOperator));
    }

    /** Creates the node's Hetzner server off the event loop; a failure (bad token, no capacity) fails the node. */
    private Uni<Void> createServer(Plan plan) {
        String nodeId = plan.launchNodeId();
        return VertxContextSupport.executeBlocking(() -> hetzner.forOwner(plan.owner())
                .create(nodeId, plan.size(), plan.launchToken()))
            .flatMap(serverId -> recordServer(nodeId, serverId))
            .onFailure().recoverWithUni(failure -> {
                NodeLaunchFailures.Classification classification = NodeLaunchFailures.classify(failure);
                LOG.errorf("node %s: Hetzner server not created (%s, %s): %s", nodeId,
                    classification.retryable() ? "transient" : "permanent", classification.kind(),
                    failure.getMessage());
                return failNode(nodeId, "the Hetzner server could not be created: " + failure.getMessage(),
                    classification);
            });
    }

    private Uni<Void> recordServer(String nodeId, long serverId) {
        return transactions.commit(() -> nodes.node(nodeId).map(node -> {
            if (node != null) {
                node.providerRef = Long.toString(serverId);
            }
            return Outcome.none();
        }));
    }

    /** A new node record in PROVISIONING, priced from the price table. */
    Node newNode(String provider, String owner, String size) {
        Node node = new Node();
        node.id = "node-" + UUID.randomUUID().toString().substring(0, 8);
        node.provider = provider;
        node.ownerId = owner;
        node.size = size;
        node.hourlyPrice = PoolRules.hourlyPrice(config, provider, size);
        node.status = NodeStatus.PROVISIONING;
        node.createdAt = Instant.now();
        return node;
    }

    /** Starts the node's process off the event loop, and watches it end. */
    private Uni<Void> launch(String nodeId, String token, boolean forOperator) {
        return Uni.createFrom().item(() -> {
                try {
                    return localProvider.launch(nodeId, token, forOperator);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            })
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
            .invoke(process -> {
                awaitOnVertx(nodeId, () -> recordProcess(nodeId, process.pid()));
                process.onExit().thenAccept(ended ->
                    awaitOnVertx(nodeId, () -> onNodeExited(nodeId, ended.exitValue())));
            })
            .onFailure().invoke(failure -> {
                LOG.errorf("node %s: could not start vm-agent: %s", nodeId, failure.getMessage());
                awaitOnVertx(nodeId, () -> failNode(nodeId, "could not start the vm-agent: " + failure.getMessage(),
                    NodeLaunchFailures.classify(failure)));
            })
            .onFailure().recoverWithNull()
            .replaceWithVoid();
    }

    private Uni<Void> recordProcess(String nodeId, long pid) {
        return transactions.commit(() -> nodes.node(nodeId).map(node -> {
            if (node != null) {
                node.providerRef = Long.toString(pid);
            }
            return Outcome.none();
        }));
    }

    public Uni<Void> onNodeConnected(Envelope connected) {
        return answerWaiting(connected, connected.nodeId(), (node, waiting) -> {
            if (!node.status.exists()) {
                LOG.warnf("node %s connected while %s; ignored", node.id, node.status);
                return null;
            }
            node.status = NodeStatus.CONNECTED;
            // When the node said hello, not when this event is applied: its first heartbeat follows the hello at
            // once and may be applied first, or carry a time before now (NodeHeartbeatService keeps the latest).
            node.connectedAt = connected.occurredAt();
            if (node.lastSeenAt == null || node.lastSeenAt.isBefore(node.connectedAt)) {
                node.lastSeenAt = node.connectedAt;
            }
            return request -> {
                request.granted = true;
                return new NodeReady(node.provider, !request.taskId.equals(node.createdForTask));
            };
        }).flatMap(v -> warmIfIdle(connected.nodeId()));
    }

    /** A node that connected with no task waiting (its task ended meanwhile, an attached machine) starts warm. */
    private Uni<Void> warmIfIdle(String nodeId) {
        return transactions.commit(() -> nodes.holdingCounts().flatMap(holding -> nodes.node(nodeId).map(node -> {
            if (node != null && node.status.exists() && holding.getOrDefault(nodeId, 0) == 0
                && node.warmSince == null) {
                node.warmSince = Instant.now();
            }
            return Outcome.none();
        })));
    }

    public Uni<Void> onNodeDisconnected(Envelope disconnected) {
        return transactions.applyOnce(CONSUMER_GATEWAY, disconnected, () -> nodes.node(disconnected.nodeId())
            .invoke(node -> {
                if (node != null && node.status == NodeStatus.CONNECTED) {
                    node.status = NodeStatus.DISCONNECTED;
                }
            }).replaceWith(Outcome.none())).replaceWithVoid();
    }

    /**
     * A local node's vm-agent process ended. A node that never connected has failed: its waiting requests fail with
     * the log's last lines. A node that had connected stays (disconnected): its vm-agent keeps its credentials in
     * the node's folder, and when it is started again there it rejoins the gateway as the same node and becomes
     * connected again; until then it is not given new tasks.
     */
    Uni<Void> onNodeExited(String nodeId, int exitCode) {
        String reason = "the node's vm-agent exited with code " + exitCode + ": " + localProvider.logTail(nodeId, 5);
        LOG.infof("node %s: %s", nodeId, reason);
        return transactions.commit(() -> nodes.node(nodeId).map(node -> {
            boolean connectedBefore = node != null && node.connectedAt != null && node.status.exists();
            if (connectedBefore && node.status == NodeStatus.CONNECTED) {
                node.status = NodeStatus.DISCONNECTED;
            }
            return Outcome.of(connectedBefore, List.<Envelope>of());
        })).flatMap(connectedBefore -> {
            if (Boolean.TRUE.equals(connectedBefore)) {
                LOG.infof("node %s had connected; it stays until its vm-agent is started again and rejoins", nodeId);
                return Uni.createFrom().voidItem();
            }
            return failNode(nodeId, reason, null);
        });
    }

    /** The node is gone without being deleted by Handoff: FAILED, and every request waiting on it fails. */
    private Uni<Void> failNode(String nodeId, String reason, NodeLaunchFailures.Classification classification) {
        return answerWaiting(null, nodeId, (node, waiting) -> {
            if (!node.status.exists()) {
                return null;
            }
            node.status = NodeStatus.FAILED;
            node.failureReason = reason;
            return request -> {
                request.releasedAt = Instant.now();
                return classification == null ? new NodeFailed(reason)
                    : new NodeFailed(reason, classification.retryable(), classification.kind());
            };
        });
    }

    /**
     * Changes the node and answers every request still waiting on it, each caused by its NodeRequested, in one
     * transaction; once per {@code cause} when the change comes from a consumed event. A change that returns null
     * leaves the node and its requests as they are.
     */
    private Uni<Void> answerWaiting(Envelope cause, String nodeId,
                                    BiFunction<Node, List<NodeRequest>, Function<NodeRequest, EventPayload>> change) {
        Supplier<Uni<Outcome<Void>>> work = () -> nodes.node(nodeId).flatMap(node -> {
            if (node == null) {
                LOG.warnf("event for unknown node %s ignored", nodeId);
                return Uni.createFrom().item(Outcome.none());
            }
            return nodes.waitingOn(nodeId).map(waiting -> {
                Function<NodeRequest, EventPayload> answer = change.apply(node, waiting);
                if (answer == null) {
                    return Outcome.none();
                }
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
        waiting.granted = false;
        return waiting;
    }
}
