package dev.handoff.contracts.events;

/**
 * Names of failure causes ({@code failureKind} of WorkspaceFailed, AgentFailed, NodeFailed) that more than one
 * service acts on. Other kinds are free-form short names set by the reporter.
 */
public final class FailureKinds {

    /**
     * The gateway could not deliver the command: the node was not connected and did not reconnect within the
     * gateway's reconnect grace. The node is likely gone; the step is worth trying on another node.
     */
    public static final String NODE_UNREACHABLE = "node_unreachable";

    private FailureKinds() {
    }
}
