package dev.handoff.contracts.node;

import java.util.Map;
import java.util.Optional;

/**
 * Secrets the gateway hands a node with a command, over the node's authenticated WebSocket only (never on Kafka):
 * e.g. {@link #GITHUB_TOKEN} for clone, push and pull request, an agent's API key for its process environment.
 * {@link #toString()} names the secrets but never shows a value, so logging a command cannot leak one.
 *
 * @param values secret name to value
 */
public record NodeSecrets(Map<String, String> values) {

    /** The token git and the GitHub API use for the task's repository. */
    public static final String GITHUB_TOKEN = "github_token";

    public NodeSecrets {
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public static NodeSecrets none() {
        return new NodeSecrets(Map.of());
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(value -> !value.isBlank());
    }

    @Override
    public String toString() {
        return "NodeSecrets" + values.keySet() + " (values redacted)";
    }
}
