package dev.handoff.contracts.events;

/**
 * Command: the task needs a node able to run {@code agent}. {@code size} is small, medium or large (null: small).
 * {@code ownerId} is the user the node is for (null: the single local user); nodes are reused only within one
 * owner and counted against that owner's quota.
 */
public record NodeRequested(String agent, String size, String ownerId) implements EventPayload {

    /** Without an owner: the single local user. */
    public NodeRequested(String agent, String size) {
        this(agent, size, null);
    }
}
