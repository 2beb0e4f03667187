package dev.handoff.chat.api;

import java.time.Instant;

/**
 * The live stream's {@code append} event: {@code text} was added to the agent's text message {@code seq} at
 * character {@code offset} (the length the client already has, from this connection's earlier {@code message} or
 * {@code append} events), which now has revision {@code revision}; {@code complete} once no more text follows.
 * Sent instead of the whole message, so a long reply costs the stream only what is new.
 */
public record MessageAppend(long seq, long revision, String role, long offset, String text, boolean complete,
                            Instant updatedAt) {
}
