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
    FAILED
}
