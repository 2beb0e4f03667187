package dev.handoff.vmagent.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.Json;

import java.util.Optional;

/**
 * The session-failure extension the Claude Code ACP adapter speaks (0.101.0, {@code session-failure-extension.js}):
 * a client that declares {@code _meta.jetbrains.air.capabilities: ["sessionFailure"]} in {@code initialize} is told
 * about the model's trouble while it happens. Without it the adapter drops its {@code api_retry} messages, and a
 * wrong or unreachable endpoint is silent for minutes (10 attempts, the last ones half a minute apart). Seen against a
 * closed port: within a second of the prompt a {@code session_info_update} whose
 * {@code _meta.jetbrains.air.sessionFailure} is {@code {"severity":"warning","category":"connection",
 * "title":"Reconnecting to Claude, attempt 1 of 10."}} (a 5xx answer: "Retrying Claude, attempt ..."), one per
 * attempt; and when it gives up, no JSON-RPC error but a {@code session/prompt} result with stopReason
 * {@code end_turn} whose {@code _meta.jetbrains.air.sessionFailure} has {@code "severity":"error"} and the reason as
 * {@code title} ("API Error: Connection refused ..."). {@link AcpClient#sendPrompt} turns that into the failure it
 * is. Other agents ignore the declaration.
 */
public final class SessionFailures {

    /** A failure the agent reports: {@code warning} (it retries) or {@code error} (it gave up). */
    public record Failure(String severity, String category, String title) {
        public boolean isError() {
            return "error".equals(severity);
        }
    }

    private SessionFailures() {
    }

    /** The {@code _meta} of {@code initialize}'s client capabilities that asks for session failures. */
    static ObjectNode capabilityMeta() {
        ObjectNode meta = Json.MAPPER.createObjectNode();
        ObjectNode air = meta.putObject("jetbrains").putObject("air");
        air.put("version", 1);
        air.putArray("capabilities").add("sessionFailure");
        return meta;
    }

    /** The failure in a session update's or a prompt result's {@code _meta}, if it carries one. */
    public static Optional<Failure> in(JsonNode withMeta) {
        JsonNode failure = withMeta.path("_meta").path("jetbrains").path("air").path("sessionFailure");
        if (!failure.isObject() || failure.path("title").asText("").isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Failure(failure.path("severity").asText("error"), failure.path("category").asText(""),
            failure.path("title").asText()));
    }
}
