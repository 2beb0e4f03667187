package dev.handoff.provisioner.provider.hetzner;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Labels that mark a Hetzner server as Handoff's: {@code managed-by=handoff} on every one, {@code handoff-node=<id>}
 * naming its node. The reconcile (a later step) lists servers by {@link #MANAGED} and deletes the unknown ones.
 */
public final class HandoffLabels {

    public static final String MANAGED_BY = "managed-by";
    public static final String NODE = "handoff-node";

    /** Label selector for every server Handoff created. */
    public static final String MANAGED = MANAGED_BY + "=handoff";

    /**
     * A node id usable as a Hetzner label value, a server name part and a host name: lower-case letters, digits and
     * inner hyphens, at most 50 characters. Also what keeps node ids safe inside cloud-init and shell.
     */
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?");

    private HandoffLabels() {
    }

    public static Map<String, String> forNode(String nodeId) {
        return Map.of(MANAGED_BY, "handoff", NODE, requireNodeId(nodeId));
    }

    /** Label selector for the server of one node. */
    public static String selectorForNode(String nodeId) {
        return MANAGED + "," + NODE + "=" + requireNodeId(nodeId);
    }

    /** The Hetzner server name of a node. */
    public static String serverName(String nodeId) {
        return "handoff-" + requireNodeId(nodeId);
    }

    public static String requireNodeId(String nodeId) {
        if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id must be lower-case letters, digits and inner hyphens "
                + "(at most 50): " + (nodeId == null ? "null" : "'" + nodeId.replaceAll("[^ -~]", "?") + "'"));
        }
        return nodeId;
    }
}
