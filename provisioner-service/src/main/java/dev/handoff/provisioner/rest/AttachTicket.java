package dev.handoff.provisioner.rest;

import java.time.Instant;

/** A node waiting for the user's machine: its id and one-time token (given out once), valid until {@code expiresAt}. */
public record AttachTicket(String nodeId, String token, Instant expiresAt) {

    /** Keeps the token out of logs. */
    @Override
    public String toString() {
        return "AttachTicket[nodeId=" + nodeId + ", token=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
