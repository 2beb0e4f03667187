package dev.handoff.localstack;

import dev.handoff.contracts.node.AgentModelEndpoints;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents-file entries (see the vm-agent README) for the agents Handoff knows, as the local stack and the agent
 * tests use them. Claude Code is pre-installed in {@code agents/node_modules} (bin/install-agents); Codex and Gemini
 * CLI are npm packages pinned here, which each node installs on demand into its agent cache. Every entry keeps its
 * agent off the internet apart from its model endpoint: no telemetry, no update checks.
 */
public final class LocalAgents {

    public static final String CLAUDE_CODE = "claude-code";
    public static final String CODEX = "codex";
    public static final String GEMINI_CLI = "gemini-cli";

    /** The Codex ACP adapter; it pulls the native codex-acp binary for this platform as an optional dependency. */
    public static final String CODEX_PACKAGE = "@zed-industries/codex-acp";
    public static final String CODEX_VERSION = "0.16.0";
    public static final String GEMINI_CLI_PACKAGE = "@google/gemini-cli";
    public static final String GEMINI_CLI_VERSION = "0.61.0";

    /**
     * The Gemini model the CLI is told to use. Without it ("auto") the CLI first asks a flash-lite model to rate
     * the prompt's complexity and picks a model from the answer.
     */
    public static final String GEMINI_MODEL = "gemini-2.5-flash";
    /** The model Codex asks its provider for. */
    public static final String CODEX_MODEL = "gpt-5-codex";

    private LocalAgents() {
    }

    /**
     * Claude Code's environment for one of Handoff's fake Anthropic APIs (the built-in demo model, the test model):
     * its URL and key, and {@code CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1}. Without that, Claude Code asks the
     * endpoint for its server-side auto-mode classifier (an experimental beta the fake does not serve), and then
     * tells the user so after the answer: "**Warning:** We're changing auto mode ... your requests go through
     * 127.0.0.1:&lt;port&gt;, which isn't compatible ...". A fake model implements no betas, so none are sent.
     */
    public static Map<String, String> claudeCodeOnFakeModel(String baseUrl, String apiKey) {
        Map<String, String> env = new LinkedHashMap<>();
        // The variable Handoff puts a user's model endpoint into (ClaudeAgentAcpTest proves the agent reads it).
        env.put(AgentModelEndpoints.variableOf(CLAUDE_CODE).orElseThrow(), baseUrl);
        env.put("ANTHROPIC_API_KEY", apiKey);
        env.put("CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS", "1");
        return env;
    }

    /** The agent cache the local stack's nodes and the agent tests share: {@code <repo>/agents/cache}. */
    public static Path agentCache(Path repoRoot) {
        return repoRoot.resolve("agents/cache");
    }

    /**
     * Codex through codex-acp: its configuration is {@code $CODEX_HOME/config.toml} in the agent's private home.
     *
     * @param baseUrl a Responses API base URL (e.g. {@link FakeOpenAiServer#baseUrl()}), or null for OpenAI's
     * @param apiKey  a literal key for a fake endpoint, or null to pass {@code OPENAI_API_KEY} from the node
     */
    public static Map<String, Object> codex(String node, String baseUrl, String apiKey) {
        StringBuilder config = new StringBuilder()
            .append("model = \"").append(CODEX_MODEL).append("\"\n")
            .append("check_for_update_on_startup = false\n");
        if (baseUrl != null) {
            config.append("model_provider = \"handoff\"\n");
        }
        config.append("\n[analytics]\nenabled = false\n");
        if (baseUrl != null) {
            config.append("\n[model_providers.handoff]\n")
                .append("name = \"Handoff model endpoint\"\n")
                .append("base_url = \"").append(baseUrl).append("\"\n")
                .append("env_key = \"OPENAI_API_KEY\"\n")
                .append("wire_api = \"responses\"\n");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CODEX_HOME", "${home}/.codex");
        return entry(CODEX_PACKAGE, CODEX_VERSION,
            List.of(node, "${install}/node_modules/" + CODEX_PACKAGE + "/bin/codex-acp.js"),
            env, "OPENAI_API_KEY", apiKey, Map.of(".codex/config.toml", config.toString()));
    }

    /**
     * Gemini CLI in ACP mode ({@code gemini --acp}).
     *
     * @param baseUrl a Gemini API base URL (e.g. {@link FakeGeminiServer#url()}), or null for Google's
     * @param apiKey  a literal key for a fake endpoint, or null to pass {@code GEMINI_API_KEY} from the node
     */
    public static Map<String, Object> geminiCli(String node, String baseUrl, String apiKey) {
        Map<String, String> env = new LinkedHashMap<>();
        if (baseUrl != null) {
            // The variable Handoff puts a user's model endpoint into (GeminiCliAgentAcpTest proves the CLI reads it).
            env.put(AgentModelEndpoints.variableOf(GEMINI_CLI).orElseThrow(), baseUrl);
        }
        env.put("GEMINI_CLI_NO_RELAUNCH", "true");
        env.put("GEMINI_MODEL", GEMINI_MODEL);
        String settings = """
            {"general": {"enableAutoUpdate": false, "enableAutoUpdateNotification": false},
             "privacy": {"usageStatisticsEnabled": false},
             "telemetry": {"enabled": false}}
            """;
        return entry(GEMINI_CLI_PACKAGE, GEMINI_CLI_VERSION,
            List.of(node, "${install}/node_modules/" + GEMINI_CLI_PACKAGE + "/bundle/gemini.js", "--acp"),
            env, "GEMINI_API_KEY", apiKey, Map.of(".gemini/settings.json", settings));
    }

    private static Map<String, Object> entry(String pkg, String version, List<String> command, Map<String, String> env,
                                             String keyName, String apiKey, Map<String, String> homeFiles) {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("install", Map.of("package", pkg, "version", version));
        agent.put("command", command);
        Map<String, String> allEnv = new LinkedHashMap<>(env);
        if (apiKey != null) {
            allEnv.put(keyName, apiKey);
        }
        agent.put("env", allEnv);
        agent.put("passEnv", apiKey == null ? List.of(keyName) : List.of());
        agent.put("homeFiles", homeFiles);
        return agent;
    }
}
