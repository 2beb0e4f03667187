package dev.handoff.vmagent.agent;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to run one agent: its command line, environment values set literally, names of variables copied from the
 * vm-agent's own environment, optionally the npm package the node installs on demand, and files written into the
 * agent's private home before each start. Command, env values and home files may use {@value #INSTALL_DIR} (the
 * package's directory in the agent cache) and {@value #HOME_DIR} (the agent's private home); see
 * {@link #resolve(Path, Path)}. {@link #toString()} shows variable names only: values may be keys.
 */
public record AgentDefinition(List<String> command, Map<String, String> env, List<String> passEnv,
                              Optional<AgentPackage> install, Map<String, String> homeFiles) {

    /** Placeholder for the installed package's directory, {@code <cache>/<package>@<version>}. */
    public static final String INSTALL_DIR = "${install}";
    /** Placeholder for the agent's private home, {@code <work>/agent-homes/<workspaceId>}. */
    public static final String HOME_DIR = "${home}";

    public AgentDefinition {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        passEnv = List.copyOf(passEnv);
        homeFiles = Map.copyOf(homeFiles);
    }

    /** An agent that is already installed on the node (no package, no home files). */
    public AgentDefinition(List<String> command, Map<String, String> env, List<String> passEnv) {
        this(command, env, passEnv, Optional.empty(), Map.of());
    }

    /** Whether the definition refers to {@value #INSTALL_DIR} anywhere. */
    boolean usesInstallDir() {
        return command.stream().anyMatch(s -> s.contains(INSTALL_DIR))
            || env.values().stream().anyMatch(s -> s.contains(INSTALL_DIR))
            || homeFiles.values().stream().anyMatch(s -> s.contains(INSTALL_DIR));
    }

    /**
     * This definition with the placeholders replaced.
     *
     * @param installDir the package's directory in the agent cache, or null for an agent without a package
     * @param homeDir    the agent's private home
     */
    public AgentDefinition resolve(Path installDir, Path homeDir) {
        Map<String, String> resolvedEnv = new LinkedHashMap<>();
        env.forEach((name, value) -> resolvedEnv.put(name, substitute(value, installDir, homeDir)));
        Map<String, String> resolvedFiles = new LinkedHashMap<>();
        homeFiles.forEach((name, text) -> resolvedFiles.put(name, substitute(text, installDir, homeDir)));
        return new AgentDefinition(command.stream().map(s -> substitute(s, installDir, homeDir)).toList(),
            resolvedEnv, passEnv, install, resolvedFiles);
    }

    private static String substitute(String value, Path installDir, Path homeDir) {
        String result = value.replace(HOME_DIR, homeDir.toString());
        return installDir == null ? result : result.replace(INSTALL_DIR, installDir.toString());
    }

    @Override
    public String toString() {
        return "AgentDefinition[command=" + command + ", env=" + env.keySet() + ", passEnv=" + passEnv
            + ", install=" + install.map(AgentPackage::spec).orElse("none") + ", homeFiles=" + homeFiles.keySet()
            + "]";
    }
}
