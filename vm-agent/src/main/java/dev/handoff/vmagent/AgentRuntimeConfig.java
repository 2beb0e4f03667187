package dev.handoff.vmagent;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the vm-agent installs agents and runs workspaces in devcontainers, read from the environment.
 *
 * @param agentCacheDir       {@code HANDOFF_AGENT_CACHE_DIR}: where agent packages are installed on demand,
 *                            {@code <cache>/<package>@<version>}; default {@code <work>/agent-cache}
 * @param agentInstallTimeout {@code HANDOFF_AGENT_INSTALL_TIMEOUT_SECONDS}: limit for one npm install, default 240
 *                            (under the orchestrator's 5 min agent-start deadline, so the npm reason is what the
 *                            user sees)
 * @param npm                 {@code HANDOFF_NPM}: the npm executable, default {@code npm}
 * @param devcontainers       {@code HANDOFF_DEVCONTAINERS}: {@code auto} (default: use a repository's devcontainer
 *                            when Docker and the devcontainer CLI are there) or {@code off}
 * @param docker              {@code HANDOFF_DOCKER}: the docker client executable, default {@code docker}
 * @param devcontainerCli     {@code HANDOFF_DEVCONTAINER_CLI}: the devcontainer CLI executable, default
 *                            {@code devcontainer} (npm {@code @devcontainers/cli})
 * @param devcontainerUpTimeout {@code HANDOFF_DEVCONTAINER_UP_TIMEOUT_SECONDS}: limit for {@code devcontainer up}
 *                            (it may build an image), default 900
 * @param devcontainerFeatures {@code HANDOFF_DEVCONTAINER_FEATURES}: JSON for {@code --additional-features}, default
 *                            Node.js 20 ({@value #NODE_FEATURE}); the agents run with the container's node
 */
public record AgentRuntimeConfig(Path agentCacheDir, Duration agentInstallTimeout, String npm, boolean devcontainers,
                                 String docker, String devcontainerCli, Duration devcontainerUpTimeout,
                                 String devcontainerFeatures) {

    public static final String NODE_FEATURE = "{\"ghcr.io/devcontainers/features/node:1\":{\"version\":\"20\"}}";
    static final Duration DEFAULT_INSTALL_TIMEOUT = Duration.ofMinutes(4);
    static final Duration DEFAULT_UP_TIMEOUT = Duration.ofMinutes(15);

    /** Reads the settings; {@code workDir} gives the default agent cache. */
    public static AgentRuntimeConfig fromEnvironment(Map<String, String> env, Path workDir) {
        List<String> problems = new ArrayList<>();
        Path cache = workDir.resolve("agent-cache");
        String cacheValue = env.get("HANDOFF_AGENT_CACHE_DIR");
        if (cacheValue != null && !cacheValue.isBlank()) {
            try {
                cache = Path.of(cacheValue.strip()).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                problems.add("HANDOFF_AGENT_CACHE_DIR is not a valid path: " + e.getMessage());
            }
        }
        String devcontainers = text(env, "HANDOFF_DEVCONTAINERS", "auto");
        if (!devcontainers.equals("auto") && !devcontainers.equals("off")) {
            problems.add("HANDOFF_DEVCONTAINERS must be auto or off (got '" + devcontainers + "')");
        }
        var config = new AgentRuntimeConfig(cache,
            seconds(env, "HANDOFF_AGENT_INSTALL_TIMEOUT_SECONDS", DEFAULT_INSTALL_TIMEOUT, problems),
            text(env, "HANDOFF_NPM", "npm"),
            !devcontainers.equals("off"),
            text(env, "HANDOFF_DOCKER", "docker"),
            text(env, "HANDOFF_DEVCONTAINER_CLI", "devcontainer"),
            seconds(env, "HANDOFF_DEVCONTAINER_UP_TIMEOUT_SECONDS", DEFAULT_UP_TIMEOUT, problems),
            text(env, "HANDOFF_DEVCONTAINER_FEATURES", NODE_FEATURE));
        if (!problems.isEmpty()) {
            throw new VmAgentConfig.InvalidConfigException(problems);
        }
        return config;
    }

    private static String text(Map<String, String> env, String name, String defaultValue) {
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    private static Duration seconds(Map<String, String> env, String name, Duration defaultValue,
                                    List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " must be a positive number of seconds (got '" + value + "')");
        return defaultValue;
    }
}
