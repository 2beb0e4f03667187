package dev.handoff.vmagent.agent;

import dev.handoff.contracts.node.NodeSecrets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The secrets an agent process gets, as environment variables: each {@code <vendor>_api_key} secret becomes
 * {@code <VENDOR>_API_KEY} (anthropic_api_key is ANTHROPIC_API_KEY), overriding the agents file's literal value.
 * Other secrets (the GitHub token) are for git and the vm-agent only; the agent never sees them.
 */
public final class AgentSecrets {

    static final String API_KEY_SUFFIX = "_api_key";

    private AgentSecrets() {
    }

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
}
