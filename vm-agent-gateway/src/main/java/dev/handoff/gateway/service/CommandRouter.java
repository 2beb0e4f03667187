package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.events.AgentPromptRequested;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentStopRequested;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.FailureKinds;
import dev.handoff.contracts.events.PermissionAnswerRequested;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.events.WorkspaceRequested;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeSecrets;
import dev.handoff.gateway.client.TaskSecretsClient;
import dev.handoff.gateway.config.GatewayConfig;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sends node commands from Kafka to the node they name, over its WebSocket, after recording that the command went to
 * that node and that the node now holds the command's task ({@link TaskAssignments}). A node that is not connected is
 * waited for (it reconnects by itself) for a grace period; after that the command fails with a WorkspaceFailed or
 * AgentFailed naming the reason.
 */
@ApplicationScoped
public class CommandRouter {

    private static final Logger LOG = Logger.getLogger(CommandRouter.class);

    /** The failure kind of a command whose node did not connect within the reconnect grace. */
    static final String NODE_UNREACHABLE = FailureKinds.NODE_UNREACHABLE;

    /** The least time a command gets to reach its node, also when its grace passed while it waited in its queue. */
    static final Duration LAST_TRY = Duration.ofMillis(500);

    /** How often chat-service is asked again for a command's secrets before the command is reported not sent. */
    static final int SECRETS_RETRIES = 3;

    @Inject
    NodeConnections connections;

    @Inject
    GatewayConfig config;

    @Inject
    TaskAssignments assignments;

    @Inject
    EventTransactions transactions;

    @Inject
    TaskSecretsClient secrets;

    /**
     * Sends the command that came at {@code receivedAt}: its node's reconnect grace counts from then, also while it
     * waited behind the node's earlier commands, so a gone node's backlog fails within one grace, not one per
     * command (at least {@link #LAST_TRY} is left for the send itself).
     */
    public Uni<Void> route(Envelope command, Instant receivedAt) {
        Duration left = config.nodeReconnectGrace().minus(Duration.between(receivedAt, Instant.now()));
        Duration grace = left.compareTo(LAST_TRY) < 0 ? LAST_TRY : left;
        if (!isNodeCommand(command)) {
            return Uni.createFrom().voidItem();
        }
        // The retries and the grace's timeout run on Mutiny's own threads (and the secrets' answer on the HTTP
        // client's): the failure's commit (Hibernate Reactive) must come back to this Vert.x context.
        Context context = Vertx.currentContext();
        // Stored once, before the frame first goes out, so the node's first report on it finds the command and the
        // task's assignment (ReportAuthority). Secrets are fetched once per routing and live only in this frame:
        // never stored, never on Kafka.
        return assignments.recordRouted(command).flatMap(recorded -> secretsFor(command)
                .flatMap(taskSecrets -> {
                    NodeMessage frame = frame(command, taskSecrets);
                    return Uni.createFrom().deferred(() -> connections.send(command.nodeId(), frame))
                        .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
                        .expireIn(grace.toMillis());
                })
                .emitOn(task -> {
                    if (context == null) {
                        task.run();
                    } else {
                        context.runOnContext(v -> task.run());
                    }
                }))
            .invoke(() -> LOG.infof("task %s: %s sent to node %s", command.taskId(), command.type(),
                command.nodeId()))
            .onFailure().recoverWithUni(failure -> {
                if (command.payload() instanceof AgentStopRequested
                    || command.payload() instanceof PermissionAnswerRequested) {
                    // Nothing to report: the node did not stop anything. The orchestrator's cancel deadline ends it.
                    LOG.warnf("task %s: %s not delivered within %s: %s", command.taskId(), command.type(),
                        config.nodeReconnectGrace(), failure.getMessage());
                    return Uni.createFrom().voidItem();
                }
                EventPayload failed;
                if (failure instanceof TaskSecretsClient.SecretsUnavailable unavailable) {
                    LOG.warnf("task %s: %s not sent: the task's secrets could not be fetched: %s", command.taskId(),
                        command.type(), unavailable.getMessage());
                    failed = notSent(command, "Handoff could not fetch the task's secrets (git token, API key) from "
                        + "chat-service: " + unavailable.getMessage(), FailureKinds.SECRETS_UNAVAILABLE);
                } else {
                    LOG.warnf("task %s: %s not delivered within %s: %s", command.taskId(), command.type(),
                        config.nodeReconnectGrace(), failure.getMessage());
                    failed = notSent(command, "node " + command.nodeId() + " is not connected to the gateway and did "
                        + "not reconnect within " + humanSeconds(config.nodeReconnectGrace()), NODE_UNREACHABLE);
                }
                return transactions.commit(() -> Uni.createFrom().item(Outcome.events(
                    List.of(command.next(failed))))).replaceWithVoid();
            });
    }

    private static boolean isNodeCommand(Envelope command) {
        return command.payload() instanceof WorkspaceRequested || command.payload() instanceof AgentStartRequested
            || command.payload() instanceof AgentPromptRequested
            || command.payload() instanceof PermissionAnswerRequested
            || command.payload() instanceof AgentStopRequested;
    }

    /**
     * The secrets the command's frame carries: a workspace's clone needs the git token, an agent (also one restarted
     * for a follow-up) its API key and the push after the turn the git token. chat-service is asked a few times
     * before the command is reported as not sent.
     */
    private Uni<NodeSecrets> secretsFor(Envelope command) {
        if (!(command.payload() instanceof WorkspaceRequested || command.payload() instanceof AgentStartRequested
            || command.payload() instanceof AgentPromptRequested)) {
            return Uni.createFrom().item(NodeSecrets.none());
        }
        return Uni.createFrom().deferred(() -> secrets.secretsOf(command.taskId()))
            .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1)).atMost(SECRETS_RETRIES);
    }

    private NodeMessage frame(Envelope command, NodeSecrets s) {
        String commandId = command.eventId().toString();
        if (command.payload() instanceof WorkspaceRequested ws) {
            return new NodeMessage.CreateWorkspace(commandId, command.taskId(), ws.workspaceId(), ws.repositoryUrl(),
                ws.branch(), s);
        }
        if (command.payload() instanceof AgentStartRequested start) {
            return new NodeMessage.StartAgent(commandId, command.taskId(), start.workspaceId(), start.deliveryId(),
                start.agent(), start.prompt(), start.permissionPolicy(), chatUrl(command.taskId()), s);
        }
        if (command.payload() instanceof AgentPromptRequested prompt) {
            return new NodeMessage.SendPrompt(commandId, command.taskId(), prompt.workspaceId(), prompt.deliveryId(),
                prompt.promptId(), prompt.agent(), prompt.prompt(), prompt.agentSessionId(), prompt.afterSequence(),
                prompt.permissionPolicy(), chatUrl(command.taskId()), s);
        }
        if (command.payload() instanceof PermissionAnswerRequested answer) {
            return new NodeMessage.AnswerPermission(commandId, command.taskId(), answer.deliveryId(),
                answer.requestId(), answer.optionId());
        }
        AgentStopRequested stop = command.payload(AgentStopRequested.class);
        return new NodeMessage.StopAgent(commandId, command.taskId(), stop.workspaceId(), stop.deliveryId(),
            stop.reason(), stop.cleanWorkspace());
    }

    private static String humanSeconds(Duration grace) {
        long seconds = Math.max(1, Math.round(grace.toMillis() / 1000.0));
        return seconds == 1 ? "1 second" : seconds + " seconds";
    }

    /** The task's page in the chat, for the pull request's link back. */
    private String chatUrl(String taskId) {
        return config.chatPublicUrl().map(base -> base.replaceAll("/+$", "") + "/tasks/" + taskId).orElse(null);
    }

    /**
     * The failure of a command the node did not get (its node away past the grace, or its secrets not to be had).
     * Both may pass, so a workspace or agent start is worth another attempt (transient); a follow-up is not retried
     * by the orchestrator.
     */
    private static EventPayload notSent(Envelope command, String reason, String failureKind) {
        if (command.payload() instanceof WorkspaceRequested ws) {
            return new WorkspaceFailed(ws.workspaceId(), reason, true, failureKind);
        }
        if (command.payload() instanceof AgentPromptRequested prompt) {
            return new AgentFailed(prompt.deliveryId(), reason, true, failureKind);
        }
        return new AgentFailed(command.payload(AgentStartRequested.class).deliveryId(), reason, true, failureKind);
    }
}
