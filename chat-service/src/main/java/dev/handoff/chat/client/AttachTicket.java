package dev.handoff.chat.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** A new node waiting for the user's machine: its id and one-time token (shown once), valid until {@code expiresAt}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AttachTicket(String nodeId, String token, Instant expiresAt) {
}
