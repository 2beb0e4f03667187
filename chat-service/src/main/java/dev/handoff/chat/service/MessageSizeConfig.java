package dev.handoff.chat.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long one chat message may grow; see {@link MessageSizeCap}. */
@ConfigMapping(prefix = "handoff.chat.messages")
public interface MessageSizeConfig {

    /**
     * The most characters of the agent's text one chat message holds (an answer, a thought); what the agent streams
     * beyond it is left out and the message ends with a note saying so. Every change of a message is sent whole to
     * its live streams, so this bounds each of those frames too.
     */
    @WithDefault("200000")
    int maxChars();
}
