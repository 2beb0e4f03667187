package dev.handoff.vmagent.agent;

import dev.handoff.vmagent.workspace.WorkspaceRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts an agent process with a clean environment in its workspace; its stderr goes to the home's log file. An
 * agent with an npm package is installed first if the node does not have it yet ({@link AgentInstaller}); a
 * workspace whose runtime is a devcontainer gets the agent inside the container ({@link DevcontainerExec}).
 */
public final class AgentProcessLauncher {

    private static final Logger LOG = Logger.getLogger(AgentProcessLauncher.class.getName());

    /** Starts the line the launcher writes into the stderr log before each start, so a tail shows one run only. */
    static final String START_MARKER = "--- handoff vm-agent: starting agent ";

    private final Map<String, String> parentEnv;
    private final AgentInstaller installer;
    private final List<String> docker;

    /** A launcher without an agent cache: agents with an npm package fail to start with a clear reason. */
    public AgentProcessLauncher(Map<String, String> parentEnv) {
        this(parentEnv, null, List.of("docker"));
    }

    /**
     * @param parentEnv the vm-agent's environment, the only source of {@code passEnv} values
     * @param installer installs agent packages on demand; null when the node has no agent cache
     * @param docker    the docker client executable, for agents in devcontainers
     */
    public AgentProcessLauncher(Map<String, String> parentEnv, AgentInstaller installer, List<String> docker) {
        this.parentEnv = Map.copyOf(parentEnv);
        this.installer = installer;
        this.docker = List.copyOf(docker);
    }

    public Process launch(String agentName, AgentDefinition agent, Path workspace, AgentHome home)
        throws IOException, InterruptedException {
        return launch(agentName, agent, workspace, home, Map.of());
    }

    /**
     * @param secretEnv the agent's secrets ({@link AgentSecrets}), only ever in the process environment: never on
     *                  its command line, in a file, or in a log (the log line names variables, not values); in a
     *                  devcontainer they go to the docker client's environment and are passed by name
     */
    public Process launch(String agentName, AgentDefinition agent, Path workspace, AgentHome home,
                          Map<String, String> secretEnv) throws IOException, InterruptedException {
        AgentDefinition resolved = agent.resolve(installDir(agentName, agent), home.dir());
        writeHomeFiles(resolved, home);
        Map<String, String> env = AgentEnvironment.build(resolved, home, parentEnv);
        env.putAll(secretEnv);
        Optional<WorkspaceRuntime> runtime = WorkspaceRuntime.loadFrom(home.dir())
            .filter(WorkspaceRuntime::isDevcontainer);
        List<String> command = runtime
            .map(container -> DevcontainerExec.command(docker, container, env, resolved.command()))
            .orElse(resolved.command());
        Map<String, String> processEnv = runtime.isPresent()
            ? DevcontainerExec.clientEnvironment(env, parentEnv)
            : env;
        var builder = new ProcessBuilder(command)
            .directory(workspace.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(home.stderrLog().toFile()));
        builder.environment().clear();
        builder.environment().putAll(processEnv);
        Files.writeString(home.stderrLog(), START_MARKER + agentName + " at " + Instant.now() + " ---\n",
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        LOG.log(Level.INFO, "starting agent {0} in {1}{2}: {3}, environment variables {4}",
            new Object[] {agentName, workspace, runtime.map(r -> " (devcontainer " + r.containerId() + ")").orElse(""),
                command, env.keySet()});
        Process process = builder.start();
        LOG.log(Level.INFO, "agent {0} started as pid {1}", new Object[] {agentName, process.pid()});
        return process;
    }

    /** The agent's package directory in the cache, installing it first if needed; null for an agent without one. */
    private Path installDir(String agentName, AgentDefinition agent) throws IOException, InterruptedException {
        if (agent.install().isEmpty()) {
            return null;
        }
        AgentPackage pkg = agent.install().get();
        if (installer == null) {
            throw new AgentInstallException("agent '" + agentName + "' is the npm package " + pkg.spec()
                + ", but this vm-agent has no agent cache to install it into");
        }
        return installer.ensureInstalled(pkg);
    }

    /** Writes the agent's home files (e.g. {@code .codex/config.toml}); they live as long as the home. */
    private static void writeHomeFiles(AgentDefinition agent, AgentHome home) throws IOException {
        for (Map.Entry<String, String> file : agent.homeFiles().entrySet()) {
            Path target = home.dir().resolve(file.getKey()).normalize();
            if (!target.startsWith(home.dir())) {
                throw new IOException("home file " + file.getKey() + " is outside the agent's home");
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }
}
