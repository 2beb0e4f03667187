package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage.Hello;

/** What a node says about itself in {@link Hello}. The token is never printed. */
public record NodeIdentity(String nodeId, String token, String hostname, String agentVersion) {

    /** The first Hello proves identity with the one-time token. */
    Hello helloWithToken() {
        return new Hello(nodeId, token, null, hostname, agentVersion);
    }

    /** After a Welcome the token is spent; reconnects prove identity with the reconnect secret. */
    Hello helloWithReconnectSecret(String reconnectSecret) {
        return new Hello(nodeId, null, reconnectSecret, hostname, agentVersion);
    }

    @Override
    public String toString() {
        return "NodeIdentity[nodeId=" + nodeId + ", token=<redacted>, hostname=" + hostname + ", agentVersion="
            + agentVersion + "]";
    }
}
