package dev.handoff.contracts.events;

import java.util.List;

/**
 * Command: the task needs a node able to run {@code agent}. {@code size} is small, medium or large (null: small).
 * {@code ownerId} is the user the node is for (null: the single local user); nodes are reused only within one
 * owner and counted against that owner's quota. Optional {@code avoidNodes}: nodes the task must not get (ones a
 * command to it could not reach); the task's earlier claims on them are released. Optional {@code ownerOperator}
 * (null = false): the owner is an operator, the only users the local provider starts nodes for (unless the
 * installation trusts every account with them) and whose nodes get the installation's model keys.
 */
public record NodeRequested(String agent, String size, String ownerId, List<String> avoidNodes, Boolean ownerOperator)
    implements EventPayload {

    public NodeRequested {
        avoidNodes = avoidNodes == null || avoidNodes.isEmpty() ? null : List.copyOf(avoidNodes);
    }

    /** Without the owner's operator flag (as before local nodes were for operators only). */
    public NodeRequested(String agent, String size, String ownerId, List<String> avoidNodes) {
        this(agent, size, ownerId, avoidNodes, null);
    }

    /** Any node of the owner. */
    public NodeRequested(String agent, String size, String ownerId) {
        this(agent, size, ownerId, null, null);
    }

    /** Without an owner: the single local user. */
    public NodeRequested(String agent, String size) {
        this(agent, size, null, null, null);
    }

    /** True when the owner is an operator. */
    public boolean forOperator() {
        return Boolean.TRUE.equals(ownerOperator);
    }

    /** The nodes to avoid, never null. */
    public List<String> avoided() {
        return avoidNodes == null ? List.of() : avoidNodes;
    }
}
