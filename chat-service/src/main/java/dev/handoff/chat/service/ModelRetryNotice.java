package dev.handoff.chat.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * The chat line for an agent that is retrying its model: Claude Code's ACP adapter reports each retry as a
 * {@code session_info_update} whose {@code _meta.jetbrains.air.sessionFailure} is a {@code warning} with a title such
 * as "Reconnecting to Claude, attempt 2 of 10." (the vm-agent asks for these in {@code initialize}; see its
 * {@code SessionFailures}). Without the line a wrong or unreachable model endpoint looks like minutes of
 * "Agent working...".
 */
public final class ModelRetryNotice {

    /** {@code data.kind} of the system message, one per agent session, updated at each attempt. */
    public static final String KIND = "model_retry";

    private ModelRetryNotice() {
    }

    /** The line to show for this session update, if it reports a retry. */
    public static Optional<String> of(JsonNode update) {
        JsonNode failure = update.path("_meta").path("jetbrains").path("air").path("sessionFailure");
        String title = failure.path("title").asText("").strip();
        if (!"warning".equals(failure.path("severity").asText()) || title.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("The agent is retrying the model: " + title
            + (title.endsWith(".") ? "" : ".") + " Check the model endpoint and key in Settings if this goes on.");
    }
}
