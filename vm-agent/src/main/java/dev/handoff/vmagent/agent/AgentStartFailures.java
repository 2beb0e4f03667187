package dev.handoff.vmagent.agent;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies why an agent failed. Only a start that failed before the prompt reached the agent, for a reason a
 * later attempt may not meet, is transient: installing the agent's npm package hit a network problem (connection
 * reset or refused, timeout, DNS) or the registry answered 5xx/429. Everything else is permanent: an agent that
 * exits or refuses initialize/session/new will do so again (wrong key, unknown version), and an agent that already
 * has the prompt is never started again for the same delivery (exactly-once prompt delivery).
 */
public final class AgentStartFailures {

    /** How an agent failed: {@code retryable} and a short stable {@code kind} for events. */
    public record Classification(boolean retryable, String kind) {
    }

    private static final Pattern INSTALL = Pattern.compile("installing agent package");
    private static final Pattern NETWORK = Pattern.compile("econnreset|econnrefused|etimedout|eai_again|enotfound"
        + "|network|socket hang up|timed out|did not finish within");
    private static final Pattern SERVER_ERROR = Pattern.compile("\\b(5\\d\\d|429)\\b|too many requests"
        + "|service unavailable|bad gateway");

    private AgentStartFailures() {
    }

    /**
     * @param reason       what the vm-agent reports
     * @param beforePrompt whether the prompt had not yet been written to the agent
     */
    public static Classification classify(String reason, boolean beforePrompt) {
        if (!beforePrompt) {
            return new Classification(false, "agent_died");
        }
        String text = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (INSTALL.matcher(text).find()) {
            if (SERVER_ERROR.matcher(text).find()) {
                return new Classification(true, "server_error");
            }
            if (NETWORK.matcher(text).find()) {
                return new Classification(true, "network");
            }
            return new Classification(false, "install_failed");
        }
        return new Classification(false, "start_failed");
    }
}
