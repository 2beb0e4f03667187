package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The agents this node can run, read from {@code HANDOFF_AGENTS_FILE}:
 * <pre>{@code
 * {"permissionPolicy": "allow_once",
 *  "agents": {"claude-code": {"command": ["node", "/abs/path/dist/index.js"],
 *                             "env": {"ANTHROPIC_BASE_URL": "http://127.0.0.1:1234"},
 *                             "passEnv": ["ANTHROPIC_API_KEY"]},
 *             "gemini-cli": {"install": {"package": "@google/gemini-cli", "version": "0.61.0"},
 *                            "command": ["node", "${install}/node_modules/@google/gemini-cli/bundle/gemini.js", "--acp"],
 *                            "homeFiles": {".gemini/settings.json": "{}"}}}}
 * }</pre>
 * An agent with {@code install} is installed on demand into the node's agent cache ({@link AgentInstaller}).
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

    /** Every agent's {@code passEnv} names: the agents' keys, which nothing else the vm-agent starts gets. */
    public Set<String> passEnvNames() {
        Set<String> names = new TreeSet<>();
        agents.values().forEach(agent -> names.addAll(agent.passEnv()));
        return names;
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
        Optional<AgentPackage> install = parseInstall(agent.path("install"), where);
        Map<String, String> homeFiles = parseHomeFiles(agent.path("homeFiles"), where);
        var definition = new AgentDefinition(command, env, passEnv, install, homeFiles);
        if (install.isEmpty() && definition.usesInstallDir()) {
            throw new InvalidAgentsFileException(where + ": uses " + AgentDefinition.INSTALL_DIR
                + " but has no \"install\" package");
        }
        return definition;
    }

    private static Optional<AgentPackage> parseInstall(JsonNode install, String where) {
        if (install.isMissingNode() || install.isNull()) {
            return Optional.empty();
        }
        if (!install.isObject()) {
            throw new InvalidAgentsFileException(where + ": \"install\" must be an object {\"package\", \"version\"}");
        }
        try {
            return Optional.of(new AgentPackage(install.path("package").asText(null),
                install.path("version").asText(null)));
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentsFileException(where + " install: " + e.getMessage());
        }
    }

    /** Relative paths inside the agent's home, each to a text; no absolute paths, no "..". */
    private static Map<String, String> parseHomeFiles(JsonNode files, String where) {
        Map<String, String> homeFiles = new LinkedHashMap<>();
        if (files.isMissingNode()) {
            return homeFiles;
        }
        if (!files.isObject()) {
            throw new InvalidAgentsFileException(where + ": \"homeFiles\" must be an object of path -> text");
        }
        files.fields().forEachRemaining(e -> {
            String name = e.getKey();
            boolean safe = !name.isEmpty() && !name.startsWith("/") && !name.contains("\\")
                && Arrays.stream(name.split("/")).noneMatch(part -> part.isEmpty() || part.equals("..")
                    || part.equals("."));
            if (!safe || !e.getValue().isTextual()) {
                throw new InvalidAgentsFileException(where + ": homeFiles entry '" + name
                    + "' must be a relative path inside the home (no '..') with a string text");
            }
            homeFiles.put(name, e.getValue().asText());
        });
        return homeFiles;
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
