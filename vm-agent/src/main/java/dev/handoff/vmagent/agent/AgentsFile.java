package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agents this node can run, read from {@code HANDOFF_AGENTS_FILE}:
 * <pre>{@code
 * {"permissionPolicy": "allow_once",
 *  "agents": {"claude-code": {"command": ["node", "/abs/path/dist/index.js"],
 *                             "env": {"ANTHROPIC_BASE_URL": "http://127.0.0.1:1234"},
 *                             "passEnv": ["ANTHROPIC_API_KEY"]}}}
 * }</pre>
 */
public record AgentsFile(PermissionPolicy permissionPolicy, Map<String, AgentDefinition> agents) {

    /** Thrown when the agents file cannot be read or is not in the expected shape. */
    public static final class InvalidAgentsFileException extends RuntimeException {
        InvalidAgentsFileException(String message) {
            super(message);
        }
    }

    public AgentsFile {
        agents = Map.copyOf(agents);
    }

    public Optional<AgentDefinition> find(String agent) {
        return Optional.ofNullable(agent).map(agents::get);
    }

    /** Agent names, sorted, for messages. */
    public List<String> agentNames() {
        return List.copyOf(new TreeMap<>(agents).keySet());
    }

    public static AgentsFile load(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidAgentsFileException("cannot read agents file " + file + ": " + e.getMessage());
        }
        return parse(root, file.toString());
    }

    static AgentsFile parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new InvalidAgentsFileException(source + ": expected a JSON object");
        }
        PermissionPolicy policy;
        try {
            policy = root.hasNonNull("permissionPolicy")
                ? PermissionPolicy.fromName(root.get("permissionPolicy").asText())
                : PermissionPolicy.ALLOW_ONCE;
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentsFileException(source + ": " + e.getMessage());
        }
        JsonNode agents = root.path("agents");
        if (!agents.isObject() || agents.isEmpty()) {
            throw new InvalidAgentsFileException(source + ": \"agents\" must be an object with at least one agent");
        }
        Map<String, AgentDefinition> definitions = new LinkedHashMap<>();
        agents.fields().forEachRemaining(entry ->
            definitions.put(entry.getKey(), parseAgent(entry.getValue(), source + ": agent '" + entry.getKey() + "'")));
        return new AgentsFile(policy, definitions);
    }

    private static AgentDefinition parseAgent(JsonNode agent, String where) {
        List<String> command = strings(agent.path("command"), where + " command");
        if (command.isEmpty()) {
            throw new InvalidAgentsFileException(where + ": \"command\" must be a non-empty array of strings");
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = agent.path("env");
        if (!envNode.isMissingNode()) {
            if (!envNode.isObject()) {
                throw new InvalidAgentsFileException(where + ": \"env\" must be an object of strings");
            }
            envNode.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw new InvalidAgentsFileException(where + ": env " + e.getKey() + " must be a string");
                }
                env.put(e.getKey(), e.getValue().asText());
            });
        }
        List<String> passEnv = agent.has("passEnv") ? strings(agent.get("passEnv"), where + " passEnv") : List.of();
        return new AgentDefinition(command, env, passEnv);
    }

    private static List<String> strings(JsonNode array, String what) {
        if (!array.isArray()) {
            throw new InvalidAgentsFileException(what + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw new InvalidAgentsFileException(what + " must contain only non-empty strings");
            }
            values.add(item.asText());
        }
        return values;
    }
}
