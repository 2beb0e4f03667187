package dev.handoff.contracts.node;

import java.util.Map;
import java.util.Optional;

/**
 * What the task's owner gives the node with a command, over the node's authenticated WebSocket only (never on
 * Kafka): secrets, e.g. {@link #GITHUB_TOKEN} for clone, push and pull request, an agent's API key for its process
 * environment; and the agents' model endpoints (agent name to base URL, the user's setting over the installation's,
 * {@link AgentModelEndpoints}). Endpoints are not secrets, but a gateway's address may be private and an endpoint
 * set by mistake to a URL with a key in it must not leak: {@link #toString()} shows names only, never a value.
 *
 * @param values         secret name to value
 * @param modelEndpoints agent name ({@code claude-code}) to its model endpoint's base URL; empty when none is set
 */
public record NodeSecrets(Map<String, String> values, Map<String, String> modelEndpoints) {

    /** The token git and the GitHub API use for the task's repository. */
    public static final String GITHUB_TOKEN = "github_token";

    public NodeSecrets {
        values = values == null ? Map.of() : Map.copyOf(values);
        modelEndpoints = modelEndpoints == null ? Map.of() : Map.copyOf(modelEndpoints);
    }

    /** Secrets only, no model endpoints. */
    public NodeSecrets(Map<String, String> values) {
        this(values, Map.of());
    }

    public static NodeSecrets none() {
        return new NodeSecrets(Map.of());
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(value -> !value.isBlank());
    }

    /** The model endpoint set for {@code agent}, if any. */
    public Optional<String> modelEndpointOf(String agent) {
        return Optional.ofNullable(modelEndpoints.get(agent)).filter(value -> !value.isBlank());
    }

    @Override
    public String toString() {
        return "NodeSecrets" + values.keySet() + " (values redacted)"
            + (modelEndpoints.isEmpty() ? "" : ", model endpoints for " + modelEndpoints.keySet());
    }
}
