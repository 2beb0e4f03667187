package dev.handoff.provisioner.provider.hetzner;

/** A server to create for a node; the name and labels follow from the node id ({@link HandoffLabels}). */
public record ServerSpec(String nodeId, ServerSize size, String userData) {

    public ServerSpec {
        HandoffLabels.requireNodeId(nodeId);
        if (size == null || userData == null) {
            throw new IllegalArgumentException("size and user data are required");
        }
        if (userData.length() > 32 * 1024) {
            throw new IllegalArgumentException("user data is larger than Hetzner's 32 KiB limit");
        }
    }
}
