package dev.handoff.vmagent.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts an agent process with a clean environment in its workspace; its stderr goes to the home's log file. */
public final class AgentProcessLauncher {

    private static final Logger LOG = Logger.getLogger(AgentProcessLauncher.class.getName());

    /** Starts the line the launcher writes into the stderr log before each start, so a tail shows one run only. */
    static final String START_MARKER = "--- handoff vm-agent: starting agent ";

    private final Map<String, String> parentEnv;

    /** @param parentEnv the vm-agent's environment, the only source of {@code passEnv} values */
    public AgentProcessLauncher(Map<String, String> parentEnv) {
        this.parentEnv = Map.copyOf(parentEnv);
    }

    public Process launch(String agentName, AgentDefinition agent, Path workspace, AgentHome home) throws IOException {
        return launch(agentName, agent, workspace, home, Map.of());
    }

    /**
     * @param secretEnv the agent's secrets ({@link AgentSecrets}), only ever in the process environment: never on
     *                  its command line, in a file, or in a log (the log line names variables, not values)
     */
    public Process launch(String agentName, AgentDefinition agent, Path workspace, AgentHome home,
                          Map<String, String> secretEnv) throws IOException {
        Map<String, String> env = AgentEnvironment.build(agent, home, parentEnv);
        env.putAll(secretEnv);
        var builder = new ProcessBuilder(agent.command())
            .directory(workspace.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(home.stderrLog().toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        Files.writeString(home.stderrLog(), START_MARKER + agentName + " at " + Instant.now() + " ---\n",
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        LOG.log(Level.INFO, "starting agent {0} in {1}: {2}, environment variables {3}",
            new Object[] {agentName, workspace, agent.command(), env.keySet()});
        Process process = builder.start();
        LOG.log(Level.INFO, "agent {0} started as pid {1}", new Object[] {agentName, process.pid()});
        return process;
    }
}
