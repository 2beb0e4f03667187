package dev.handoff.contracts.node;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variable through which each agent Handoff runs takes its model endpoint (base URL), as read in
 * the agents' own packages: the Claude Code ACP adapter's bundled Claude Code reads {@code ANTHROPIC_BASE_URL}; Gemini
 * CLI ({@code @google/genai}) reads {@code GOOGLE_GEMINI_BASE_URL}. Codex (codex-acp 0.16.0, codex 0.137.0) has no
 * such variable (its base URL is {@code openai_base_url} or a model provider's {@code base_url} in
 * {@code $CODEX_HOME/config.toml}), so Handoff does not set one for it. Proven per agent by the vm-agent's real-agent
 * tests ({@code ClaudeAgentAcpTest}, {@code GeminiCliAgentAcpTest}: the agent's request reaches the fake model at
 * that URL).
 */
public final class AgentModelEndpoints {

    private static final Map<String, String> VARIABLES = Map.of(
        "claude-code", "ANTHROPIC_BASE_URL",
        "gemini-cli", "GOOGLE_GEMINI_BASE_URL");

    private AgentModelEndpoints() {
    }

    /** The variable {@code agent} reads its model endpoint from; empty for an agent that has none (Codex). */
    public static Optional<String> variableOf(String agent) {
        return Optional.ofNullable(agent).map(VARIABLES::get);
    }

    /** The agents whose model endpoint Handoff can set. */
    public static java.util.Set<String> agents() {
        return VARIABLES.keySet();
    }
}
