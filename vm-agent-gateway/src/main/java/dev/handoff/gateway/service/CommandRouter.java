package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.events.AgentPromptRequested;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentStopRequested;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.PermissionAnswerRequested;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.events.WorkspaceRequested;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.gateway.client.TaskSecretsClient;
import dev.handoff.gateway.config.GatewayConfig;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
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
    static final String NODE_UNREACHABLE = "node_unreachable";

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

    public Uni<Void> route(Envelope command) {
        String commandId = command.eventId().toString();
        Uni<NodeMessage> message;
        if (command.payload() instanceof WorkspaceRequested ws) {
            message = secrets.secretsOf(command.taskId()).map(s -> new NodeMessage.CreateWorkspace(commandId,
                command.taskId(), ws.workspaceId(), ws.repositoryUrl(), ws.branch(), s));
        } else if (command.payload() instanceof AgentStartRequested start) {
            message = secrets.secretsOf(command.taskId()).map(s -> new NodeMessage.StartAgent(commandId,
                command.taskId(), start.workspaceId(), start.deliveryId(), start.agent(), start.prompt(),
                start.permissionPolicy(), chatUrl(command.taskId()), s));
        } else if (command.payload() instanceof AgentPromptRequested prompt) {
            // A restarted agent needs its API key, the push after the turn the git token: as for StartAgent.
            message = secrets.secretsOf(command.taskId()).map(s -> new NodeMessage.SendPrompt(commandId,
                command.taskId(), prompt.workspaceId(), prompt.deliveryId(), prompt.promptId(), prompt.agent(),
                prompt.prompt(), prompt.agentSessionId(), prompt.afterSequence(), prompt.permissionPolicy(),
                chatUrl(command.taskId()), s));
        } else if (command.payload() instanceof PermissionAnswerRequested answer) {
            message = Uni.createFrom().item(new NodeMessage.AnswerPermission(commandId, command.taskId(),
                answer.deliveryId(), answer.requestId(), answer.optionId()));
        } else if (command.payload() instanceof AgentStopRequested stop) {
            message = Uni.createFrom().item(new NodeMessage.StopAgent(commandId, command.taskId(), stop.workspaceId(),
                stop.deliveryId(), stop.reason(), stop.cleanWorkspace()));
        } else {
            return Uni.createFrom().voidItem();
        }
        // Stored before the frame goes out, so the node's first report on it finds the command and the task's
        // assignment (ReportAuthority). Secrets are fetched anew on each attempt and live only in this frame: never
        // stored, never on Kafka.
        return assignments.recordRouted(command)
            .flatMap(recorded -> message)
            .flatMap(frame -> connections.send(command.nodeId(), frame))
            .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .expireIn(config.nodeReconnectGrace().toMillis())
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
                LOG.warnf("task %s: %s not delivered within %s: %s", command.taskId(), command.type(),
                    config.nodeReconnectGrace(), failure.getMessage());
                return transactions.commit(() -> Uni.createFrom().item(Outcome.events(
                    List.of(command.next(undeliverable(command, failure.getMessage())))))).replaceWithVoid();
            });
    }

    /** The task's page in the chat, for the pull request's link back. */
    private String chatUrl(String taskId) {
        return config.chatPublicUrl().map(base -> base.replaceAll("/+$", "") + "/tasks/" + taskId).orElse(null);
    }

    /**
     * The failure of a command the node did not get in time. A node that was away may come back, so a workspace or
     * agent start is worth another attempt (transient); a follow-up is not retried by the orchestrator.
     */
    private static EventPayload undeliverable(Envelope command, String reason) {
        if (command.payload() instanceof WorkspaceRequested ws) {
            return new WorkspaceFailed(ws.workspaceId(), reason, true, NODE_UNREACHABLE);
        }
        if (command.payload() instanceof AgentPromptRequested prompt) {
            return new AgentFailed(prompt.deliveryId(), reason, true, NODE_UNREACHABLE);
        }
        return new AgentFailed(command.payload(AgentStartRequested.class).deliveryId(), reason, true,
            NODE_UNREACHABLE);
    }
}
