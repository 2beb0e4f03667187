package dev.handoff.provisioner;

/** A node's life as the provisioner sees it. */
public enum NodeStatus {
    /** Created by a provider; its vm-agent has not connected yet. */
    PROVISIONING,
    /** Its vm-agent is connected to the gateway; it can take workspaces. */
    CONNECTED,
    /** Its connection closed; not used for new tasks until it reconnects. */
    DISCONNECTED,
    /** It never connected or its process ended. */
    FAILED,
    /** Chosen for deletion (warm time over, lifetime cap, the user's delete); its provider is deleting it. */
    DELETING,
    /** Deleted through its provider. */
    DELETED;

    /** Whether the node still exists (and counts against its owner's quota). */
    public boolean exists() {
        return this == PROVISIONING || this == CONNECTED || this == DISCONNECTED;
    }
}
