package dev.handoff.contracts.events;

/**
 * The provisioner deleted a node through its provider (warm time over, lifetime cap, the user's delete). The
 * gateway forgets the node's credentials and refuses it from now on.
 */
public record NodeDeleted(String provider, String reason) implements EventPayload {
}
