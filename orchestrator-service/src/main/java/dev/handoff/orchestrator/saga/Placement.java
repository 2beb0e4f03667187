package dev.handoff.orchestrator.saga;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the task runs: its node, its workspace there, the delivery that started its agent and the agent's session;
 * each null until the saga got that far. {@code avoidedNodes} are the nodes a command of the task could not reach
 * (the next node request avoids them).
 */
public record Placement(String nodeId, String workspaceId, String deliveryId, String agentSessionId,
                        List<String> avoidedNodes) {

    /** A task that has no node yet and none to avoid. */
    public static final Placement NOWHERE = new Placement(null, null, null, null, List.of());

    public Placement {
        avoidedNodes = avoidedNodes == null ? List.of() : List.copyOf(avoidedNodes);
    }

    Placement withNode(String node) {
        return new Placement(node, workspaceId, deliveryId, agentSessionId, avoidedNodes);
    }

    Placement withWorkspace(String workspace) {
        return new Placement(nodeId, workspace, deliveryId, agentSessionId, avoidedNodes);
    }

    Placement withDelivery(String delivery) {
        return new Placement(nodeId, workspaceId, delivery, agentSessionId, avoidedNodes);
    }

    Placement withAgentSession(String session) {
        return new Placement(nodeId, workspaceId, deliveryId, session, avoidedNodes);
    }

    /**
     * No node yet, and {@code unreachable} (when not null) among the nodes to avoid; the old node's workspace,
     * delivery and agent session are dropped with it.
     */
    Placement avoiding(String unreachable) {
        List<String> avoid = new ArrayList<>(avoidedNodes);
        if (unreachable != null && !avoid.contains(unreachable)) {
            avoid.add(unreachable);
        }
        return new Placement(null, null, null, null, avoid);
    }
}
