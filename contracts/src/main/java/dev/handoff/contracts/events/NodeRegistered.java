package dev.handoff.contracts.events;

import java.time.Instant;

/**
 * The provisioner created a node and gave it a one-time token. Only the token's SHA-256 travels,
 * so the gateway can check the node's hello without ever seeing the token itself.
 */
public record NodeRegistered(String provider, String tokenSha256, Instant tokenExpiresAt) implements EventPayload {
}
