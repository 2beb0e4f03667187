package dev.handoff.vmagent.agent;

import dev.handoff.contracts.node.AgentModelEndpoints;
import dev.handoff.contracts.node.NodeSecrets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the task's owner gives an agent process, as environment variables: each {@code <vendor>_api_key} secret
 * becomes {@code <VENDOR>_API_KEY} (anthropic_api_key is ANTHROPIC_API_KEY), and the model endpoint set for this
 * agent becomes the variable the agent reads it from ({@link AgentModelEndpoints}: Claude Code's
 * {@code ANTHROPIC_BASE_URL}); both override the agents file's literal values. Other secrets (the GitHub token) are
 * for git and the vm-agent only; the agent never sees them.
 */
public final class AgentSecrets {

    static final String API_KEY_SUFFIX = "_api_key";

    private AgentSecrets() {
    }

    /** The API keys only, for any agent. */
    public static Map<String, String> environment(NodeSecrets secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        if (secrets == null) {
            return env;
        }
        secrets.values().forEach((name, value) -> {
            if (name.endsWith(API_KEY_SUFFIX) && name.matches("[a-z][a-z0-9_]*") && !value.isBlank()) {
                env.put(name.toUpperCase(Locale.ROOT), value);
            }
        });
        return env;
    }

    /** The API keys and {@code agent}'s model endpoint, if one is set and the agent reads one from a variable. */
    public static Map<String, String> environment(String agent, NodeSecrets secrets) {
        Map<String, String> env = environment(secrets);
        if (secrets != null) {
            secrets.modelEndpointOf(agent).ifPresent(url -> AgentModelEndpoints.variableOf(agent)
                .ifPresent(variable -> env.put(variable, url)));
        }
        return env;
    }
}
