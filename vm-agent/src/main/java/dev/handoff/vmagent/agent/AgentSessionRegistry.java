package dev.handoff.vmagent.agent;

import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.vmagent.gateway.ReportSink;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The node's agent sessions by deliveryId, so a redelivered StartAgent never starts a second agent, and a
 * StartAgent arriving after the StopAgent of its delivery starts none.
 */
public final class AgentSessionRegistry {

    private final ConcurrentMap<String, AgentSession> byDeliveryId = new ConcurrentHashMap<>();
    private final Set<String> stoppedDeliveries = ConcurrentHashMap.newKeySet();

    /**
     * @return the new session to start, or empty when this delivery is already known (the duplicate has then
     *     been answered with the outcome so far)
     */
    public Optional<AgentSession> registerSession(StartAgent command, ReportSink reports) {
        if (stoppedDeliveries.contains(command.deliveryId())) {
            return Optional.empty();
        }
        var fresh = new AgentSession(command, reports);
        AgentSession existing = byDeliveryId.putIfAbsent(command.deliveryId(), fresh);
        if (existing != null) {
            existing.answerDuplicate(command);
            return Optional.empty();
        }
        return Optional.of(fresh);
    }

    /**
     * Marks the delivery stopped, so it never starts from now on.
     *
     * @return its session to stop, or empty when it never started here
     */
    public Optional<AgentSession> markStopped(String deliveryId) {
        stoppedDeliveries.add(deliveryId);
        return Optional.ofNullable(byDeliveryId.get(deliveryId));
    }

    /** The delivery's current session, if it started on this node and was not stopped. */
    public Optional<AgentSession> find(String deliveryId) {
        if (stoppedDeliveries.contains(deliveryId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byDeliveryId.get(deliveryId));
    }

    public boolean isStopped(String deliveryId) {
        return stoppedDeliveries.contains(deliveryId);
    }

    /** The delivery's agent was started again (for a follow-up): {@code session} is now the one to stop. */
    public void replaceSession(String deliveryId, AgentSession session) {
        byDeliveryId.put(deliveryId, session);
    }

    public int size() {
        return byDeliveryId.size();
    }

    /** Kills every agent's process tree; for shutdown. */
    public void killAllAgents() {
        byDeliveryId.values().forEach(AgentSession::killProcessTree);
    }
}
