package dev.handoff.contracts.events;

import java.time.Instant;

/**
 * The provisioner created a node and gave it a one-time token. Only the token's SHA-256 travels,
 * so the gateway can check the node's hello without ever seeing the token itself.
 * {@code bootstrap} (optional, null means false): the token is a bootstrap token from a cloud VM's user_data; it is
 * not accepted in a hello, only exchanged once at the gateway's {@code POST /nodes/bootstrap/node-token} for the
 * node token, so the token left readable in user_data is spent before any agent runs.
 */
public record NodeRegistered(String provider, String tokenSha256, Instant tokenExpiresAt, Boolean bootstrap)
    implements EventPayload {

    /** A token the node presents in its hello (local and attached nodes). */
    public NodeRegistered(String provider, String tokenSha256, Instant tokenExpiresAt) {
        this(provider, tokenSha256, tokenExpiresAt, null);
    }

    public boolean onlyForExchange() {
        return Boolean.TRUE.equals(bootstrap);
    }
}
