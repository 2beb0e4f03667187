package dev.handoff.chat.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The live stream of a chat session ({@code GET /api/sessions/{id}/stream}). */
@ConfigMapping(prefix = "handoff.stream")
public interface StreamConfig {

    /**
     * How often an idle stream reads the database anyway: the upper bound on the delay for changes committed by
     * another chat-service instance (changes made by this instance wake the stream at once).
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** A comment line is sent after this much silence, so proxies keep the connection and a gone client shows. */
    @WithDefault("15s")
    Duration keepAlive();

    /** Most messages read per round; a full round is followed by the next one at once. */
    @WithDefault("200")
    int batchSize();
}
