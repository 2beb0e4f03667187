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

    /**
     * The gateway could not fetch the task's secrets (git token, agent API key) from chat-service, so it did not
     * send the command without them: worth another attempt on the same node once chat-service answers again.
     */
    public static final String SECRETS_UNAVAILABLE = "secrets_unavailable";

    private FailureKinds() {
    }
}
