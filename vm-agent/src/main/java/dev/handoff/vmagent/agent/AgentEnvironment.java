package dev.handoff.vmagent.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds an agent's complete environment. Nothing comes from the vm-agent's own environment except the
 * agent's {@code passEnv} names: a stray parent variable (IS_SANDBOX, credentials, proxies) must not change how
 * the agent behaves.
 */
public final class AgentEnvironment {

    /** PATH for child processes, before the agent's executable directory is put in front. */
    public static final String SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";

    private AgentEnvironment() {
    }

    /**
     * @param parentEnv the vm-agent's environment; only used for {@code passEnv} and to find the executable
     * @return in order: PATH, HOME, TMPDIR, CLAUDE_CONFIG_DIR, LANG, then the agent's env, then passEnv values
     */
    public static Map<String, String> build(AgentDefinition agent, AgentHome home, Map<String, String> parentEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", executableDirectory(agent.command().get(0), parentEnv.get("PATH"))
            .map(Path::toString)
            .filter(dir -> !Arrays.asList(SAFE_PATH.split(File.pathSeparator)).contains(dir))
            .map(dir -> dir + File.pathSeparator + SAFE_PATH)
            .orElse(SAFE_PATH));
        env.put("HOME", home.dir().toString());
        env.put("TMPDIR", home.tmpDir().toString());
        env.put("CLAUDE_CONFIG_DIR", home.claudeConfigDir().toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(agent.env());
        for (String name : agent.passEnv()) {
            String value = parentEnv.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    /**
     * The directory of the agent's executable (e.g. {@code node}), so that the agent and the scripts it spawns
     * find the same runtime: the parent of an absolute path, or where the parent's PATH resolves the name.
     */
    static Optional<Path> executableDirectory(String executable, String parentPath) {
        try {
            Path path = Path.of(executable);
            if (path.isAbsolute()) {
                return Optional.ofNullable(path.getParent());
            }
            if (executable.contains(File.separator) || parentPath == null) {
                return Optional.empty();
            }
            for (String dir : parentPath.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Path.of(dir).isAbsolute() && Files.isExecutable(Path.of(dir, executable))) {
                    return Optional.of(Path.of(dir));
                }
            }
        } catch (InvalidPathException e) {
            // not a usable path: fall back to the safe PATH only
        }
        return Optional.empty();
    }
}
