package dev.handoff.gateway.socket;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.NodeConnected;
import dev.handoff.contracts.events.NodeDisconnected;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;
import dev.handoff.contracts.node.NodeTokens;
import dev.handoff.gateway.config.GatewayConfig;
import dev.handoff.gateway.metrics.GatewayMetrics;
import dev.handoff.gateway.service.HeartbeatForwarder;
import dev.handoff.gateway.service.NodeAuthenticator;
import dev.handoff.gateway.service.NodeConnections;
import dev.handoff.gateway.service.ReportIntake;
import dev.handoff.gateway.service.ReportAuthority;
import dev.handoff.servicekit.CrashPoints;
import dev.handoff.servicekit.SafeContext;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The endpoint nodes dial ({@value NodeProtocol#PATH}). The first frame must be a hello that the authenticator
 * admits; after that every frame is a report, published as the event it stands for, one at a time in the order
 * the node sent them. Numbered reports are taken once each ({@link ReportIntake}) and acknowledged after their
 * event committed; a report that is not the node's to make ({@link ReportAuthority}) makes no event and is answered
 * {@code report_refused}, then acknowledged. Frames over {@code handoff.gateway.max-frame-bytes} close the connection
 * with 1009 ({@code FrameLimits}); the Welcome tells the node that limit. A connection without a hello within
 * {@code handoff.gateway.hello-deadline} is closed with 1008, and so is a welcomed node's from which no frame came for
 * {@code handoff.gateway.node-silent-after} (its NodeDisconnected says so). One address may hold at most
 * {@code handoff.gateway.max-pending-hellos-per-address} connections that have not said hello yet; one more is closed
 * at once (1008).
 */
@ApplicationScoped
public class NodeSocket {

    private static final Logger LOG = Logger.getLogger(NodeSocket.class);

    /** WebSocket close status 1008: the connection broke the door's rules (no hello in time). */
    private static final short POLICY_VIOLATION = 1008;

    @Inject
    NodeAuthenticator authenticator;

    @Inject
    NodeConnections connections;

    @Inject
    ReportAuthority authority;

    @Inject
    GatewayConfig config;

    @Inject
    EventTransactions transactions;

    @Inject
    ReportIntake intake;

    @Inject
    HeartbeatForwarder heartbeats;

    @Inject
    GatewayMetrics metrics;

    private PendingHellos pendingHellos;

    @jakarta.annotation.PostConstruct
    void init() {
        pendingHellos = new PendingHellos(config.maxPendingHellosPerAddress());
    }

    void route(@Observes Router router) {
        router.route(NodeProtocol.PATH).handler(rc -> rc.request().toWebSocket()
            .onSuccess(this::accept)
            .onFailure(failure -> LOG.warnf("WebSocket upgrade failed: %s", failure.getMessage())));
    }

    private void accept(ServerWebSocket socket) {
        String address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
        if (!pendingHellos.tryOpen(address)) {
            LOG.infof("connection from %s closed: %d connections from there are waiting for their hello", address,
                config.maxPendingHellosPerAddress());
            socket.close(POLICY_VIOLATION, "too many connections waiting for their hello");
            return;
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable spokeOrClosed = () -> {
            if (counted.compareAndSet(true, false)) {
                pendingHellos.release(address);
            }
        };
        NodeChannel channel = new NodeChannel(socket);
        Context socketContext = Vertx.currentContext();
        Vertx vertx = socketContext.owner();
        long helloTimer = vertx.setTimer(config.helloDeadline().toMillis(), id -> {
            // A hello being admitted (the database may be slow) is not closed; only a connection that said nothing.
            if (channel.isOpen() && !channel.hasSpoken()) {
                LOG.infof("connection from %s closed: no hello within %s", socket.remoteAddress(),
                    config.helloDeadline());
                channel.close(POLICY_VIOLATION, "no hello within " + config.helloDeadline().toSeconds() + " s");
            }
        });
        // A welcomed node that falls silent is closed, so it is reported disconnected and gets no more tasks.
        long silenceTimer = vertx.setPeriodic(silenceCheckMillis(), id -> {
            Duration silentAfter = config.nodeSilentAfter();
            if (channel.isOpen() && channel.silence().compareTo(silentAfter) >= 0) {
                connections.nodeOf(channel).ifPresent(nodeId -> {
                    LOG.infof("node %s closed: no frame for %s", nodeId, silentAfter);
                    channel.closeForSilence(POLICY_VIOLATION, "silent for " + silentAfter.toSeconds() + " s");
                });
            }
        });
        socket.closeHandler(v -> {
            spokeOrClosed.run();
            vertx.cancelTimer(helloTimer);
            vertx.cancelTimer(silenceTimer);
            channel.enqueue(() -> SafeContext.run(socketContext, "node disconnect", () -> onClose(channel)));
        });
        socket.textMessageHandler(frame -> {
            spokeOrClosed.run();
            if (channel.hold(frame)) {
                channel.enqueue(() -> SafeContext.run(socketContext, "node frames",
                    () -> onFrames(channel.takeHeld(), channel)));
            }
        });
        socket.exceptionHandler(failure -> LOG.debugf("node socket error: %s", failure.getMessage()));
    }

    /** How often a connection's silence is looked at: a sixth of the limit, at least every second and 15 s. */
    private long silenceCheckMillis() {
        return Math.max(1000, Math.min(15_000, config.nodeSilentAfter().toMillis() / 6));
    }

    /**
     * The frames that arrived while earlier ones were handled, in order: runs of consecutive numbered reports of a
     * welcomed node are taken in one transaction each ({@link #MAX_RUN} at most) and acknowledged once; every other
     * frame alone.
     */
    Uni<Void> onFrames(List<String> frames, NodeChannel channel) {
        boolean welcomed = connections.nodeOf(channel).isPresent();
        Uni<Void> chain = Uni.createFrom().voidItem();
        List<NodeMessage.NumberedReport> run = new ArrayList<>();
        for (String frame : frames) {
            if (welcomed && decodedOrNull(frame) instanceof NodeMessage.NumberedReport numbered) {
                run.add(numbered);
                if (run.size() == MAX_RUN) {
                    chain = thenNumbered(chain, run, channel);
                    run = new ArrayList<>();
                }
                continue;
            }
            chain = thenNumbered(chain, run, channel).flatMap(v -> onFrame(frame, channel));
            run = new ArrayList<>();
        }
        return thenNumbered(chain, run, channel);
    }

    private Uni<Void> thenNumbered(Uni<Void> chain, List<NodeMessage.NumberedReport> run, NodeChannel channel) {
        return run.isEmpty() ? chain : chain.flatMap(v -> onNumbered(run, channel));
    }

    /** A run of numbered reports of a welcomed node (one whose connection closed meanwhile is told so). */
    private Uni<Void> onNumbered(List<NodeMessage.NumberedReport> run, NodeChannel channel) {
        Optional<String> nodeId = connections.nodeOf(channel);
        if (nodeId.isEmpty()) {
            return refuse(channel, "the first frame must be a hello");
        }
        String issued = channel.takeSecretToConfirm();
        Uni<Void> confirmed = issued == null ? Uni.createFrom().voidItem()
            : authenticator.confirmKept(nodeId.get(), issued);
        return confirmed.flatMap(v -> takeNumbered(nodeId.get(), run, channel));
    }

    /** Reports taken in one transaction at most; a longer run is split. */
    static final int MAX_RUN = 500;

    private static NodeMessage decodedOrNull(String frame) {
        try {
            return NodeProtocol.decode(frame);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    Uni<Void> onFrame(String frame, NodeChannel channel) {
        NodeMessage message;
        try {
            message = NodeProtocol.decode(frame);
        } catch (IllegalArgumentException e) {
            LOG.warnf("connection %s sent an unreadable frame: %s", channel.id(), e.getMessage());
            return refuse(channel, "unreadable frame");
        }
        Optional<String> nodeId = connections.nodeOf(channel);
        if (nodeId.isEmpty()) {
            if (message instanceof NodeMessage.Hello hello) {
                return greet(hello, channel);
            }
            return refuse(channel, "the first frame must be a hello");
        }
        String issued = channel.takeSecretToConfirm();
        if (issued != null) {
            return authenticator.confirmKept(nodeId.get(), issued).flatMap(v -> handle(nodeId.get(), message, channel));
        }
        return handle(nodeId.get(), message, channel);
    }

    private Uni<Void> handle(String nodeId, NodeMessage message, NodeChannel channel) {
        if (message instanceof NodeMessage.NumberedReport numbered) {
            return takeNumbered(nodeId, numbered, channel);
        }
        if (message instanceof NodeMessage.Heartbeat heartbeat) {
            return heartbeats.forward(nodeId, heartbeat);
        }
        // An unnumbered report (vm-agents before numbering): judged by the same rule, no answer either way.
        return transactions.commit(() -> authority.judge(nodeId, message)
            .map(verdict -> Outcome.events(verdict.event().map(List::of).orElse(List.of()))));
    }

    /**
     * Commits the reports' events once, in one transaction, then acknowledges the run with one ack (cumulative: the
     * node forgets every report up to that number), after a {@code report_refused} for each refused one. When the
     * commit fails, or a report comes too early because an earlier one failed to commit, the connection is closed
     * (after acknowledging what came before it), so the node reconnects and resends everything unacknowledged in
     * order.
     */
    private Uni<Void> takeNumbered(String nodeId, NodeMessage.NumberedReport numbered, NodeChannel channel) {
        return takeNumbered(nodeId, List.of(numbered), channel);
    }

    private Uni<Void> takeNumbered(String nodeId, List<NodeMessage.NumberedReport> run, NodeChannel channel) {
        return intake.takeAll(nodeId, run)
            .onFailure().recoverWithItem(failure -> {
                LOG.warnf("node %s: reports %d..%d not taken (%s); closing so the node resends", nodeId,
                    run.get(0).number(), run.get(run.size() - 1).number(), failure.getMessage());
                return List.of(new ReportIntake.Intake(ReportIntake.Taken.OUT_OF_ORDER, null));
            })
            .flatMap(intakes -> {
                Uni<Void> answers = Uni.createFrom().voidItem();
                NodeMessage.NumberedReport acked = null;
                boolean outOfOrder = false;
                for (int i = 0; i < intakes.size(); i++) {
                    ReportIntake.Intake taken = intakes.get(i);
                    NodeMessage.NumberedReport numbered = run.get(i);
                    if (taken.taken() == ReportIntake.Taken.OUT_OF_ORDER) {
                        outOfOrder = true;
                        break;
                    }
                    if (taken.taken() == ReportIntake.Taken.TAKEN) {
                        CrashPoints.reached("report-taken", numbered.report().getClass().getSimpleName());
                    }
                    if (taken.taken() == ReportIntake.Taken.REFUSED) {
                        String refusal = NodeProtocol.encode(new NodeMessage.ReportRefused(numbered.stream(),
                            numbered.number(), taken.refusal()));
                        answers = answers.flatMap(v -> channel.sendText(refusal));
                    }
                    acked = numbered;
                }
                if (acked != null) {
                    String ack = NodeProtocol.encode(new NodeMessage.Ack(acked.stream(), acked.number()));
                    answers = answers.flatMap(v -> channel.sendText(ack));
                }
                Uni<Void> sent = answers.onFailure().recoverWithNull();
                return outOfOrder ? sent.flatMap(v -> channel.close().onFailure().recoverWithNull()) : sent;
            });
    }

    Uni<Void> onClose(NodeChannel channel) {
        return connections.closed(channel)
            .map(nodeId -> {
                LOG.infof("node %s disconnected", nodeId);
                heartbeats.forget(nodeId);
                String reason = channel.closedBecause();
                metrics.nodeDisconnected(channel.closedForSilence() ? GatewayMetrics.SILENT : GatewayMetrics.CLOSED);
                return record(Envelope.forNode(new NodeDisconnected(reason != null ? reason : "connection closed"),
                    nodeId, null));
            })
            .orElseGet(() -> Uni.createFrom().voidItem());
    }

    private Uni<Void> greet(NodeMessage.Hello hello, NodeChannel channel) {
        return authenticator.admit(hello).flatMap(admission -> {
            if (!admission.admitted()) {
                return refuse(channel, admission.refusal());
            }
            connections.admitted(admission.nodeId(), channel);
            channel.secretIssued(NodeTokens.sha256Hex(admission.reconnectSecret()));
            LOG.infof("node %s connected from %s", admission.nodeId(), hello.hostname());
            return channel.sendText(NodeProtocol.encode(
                    new NodeMessage.Welcome(admission.nodeId(), admission.reconnectSecret(), config.maxFrameBytes(),
                        Math.toIntExact(config.nodeSilentAfter().toSeconds()))))
                .flatMap(v -> record(Envelope.forNode(
                    new NodeConnected(hello.hostname(), hello.agentVersion()), admission.nodeId(), null)));
        }).onFailure().recoverWithUni(failure -> {
            // Not a refusal (that would make the node give up): close, and the node says hello again.
            LOG.warnf("node %s: hello not handled (%s); closing so it says hello again", hello.nodeId(),
                failure.getMessage());
            connections.closed(channel);
            return channel.close().onFailure().recoverWithNull();
        });
    }

    /** Commits the event to the outbox; it is published right after. */
    private Uni<Void> record(Envelope event) {
        return transactions.commit(() -> Uni.createFrom().item(Outcome.events(List.of(event))));
    }

    private static Uni<Void> refuse(NodeChannel channel, String reason) {
        return channel.sendText(NodeProtocol.encode(new NodeMessage.Refused(reason)))
            .flatMap(v -> channel.close());
    }
}
