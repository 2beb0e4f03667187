package dev.handoff.vmagent;

import dev.handoff.vmagent.VmAgentConfig.InvalidConfigException;
import dev.handoff.vmagent.agent.AgentsFile;
import dev.handoff.vmagent.agent.AgentsFile.InvalidAgentsFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point: {@code java -jar vm-agent.jar}, configured by {@code HANDOFF_*} environment variables (see
 * {@link VmAgentConfig}). Logs go to stderr, one line per event.
 *
 * <p>Exit codes: 2 invalid configuration, 3 refused by the gateway, 0 stopped.
 */
public final class VmAgentMain {

    public static final int EXIT_INVALID_CONFIG = 2;

    static {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tFT%1$tT.%1$tL%1$tz %4$s [%3$s] %5$s%6$s%n");
        }
    }

    private static final Logger LOG = Logger.getLogger(VmAgentMain.class.getName());

    private VmAgentMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv()));
    }

    /** Reads the configuration from {@code env}, runs the vm-agent and returns the exit code. */
    static int run(Map<String, String> env) {
        VmAgentConfig config;
        AgentRuntimeConfig runtime;
        AgentsFile agents;
        try {
            config = VmAgentConfig.fromEnvironment(env);
            runtime = AgentRuntimeConfig.fromEnvironment(env, config.workDir());
            agents = AgentsFile.load(config.agentsFile());
            Files.createDirectories(config.workspacesDir());
            Files.createDirectories(config.agentHomesDir());
        } catch (InvalidConfigException | InvalidAgentsFileException e) {
            LOG.severe(e.getMessage());
            return EXIT_INVALID_CONFIG;
        } catch (IOException e) {
            LOG.severe("cannot create the work directory: " + e);
            return EXIT_INVALID_CONFIG;
        }
        String version = version();
        LOG.log(Level.INFO, "handoff vm-agent {0} starting: {1}; {2}; agents {3}",
            new Object[] {version, config, runtime, agents.agentNames()});
        if (!CrashPoints.armed().isEmpty()) {
            LOG.log(Level.WARNING, "crash points armed by {0}: {1}; this process halts itself there (tests only)",
                new Object[] {CrashPoints.ENV, CrashPoints.armed()});
        }
        VmAgent vmAgent = VmAgent.create(config, runtime, agents, env, version);
        Runtime.getRuntime().addShutdownHook(new Thread(vmAgent::shutdown, "vm-agent-shutdown"));
        int exitCode = vmAgent.run();
        LOG.log(Level.INFO, "vm-agent exiting with code {0}", exitCode);
        return exitCode;
    }

    static String version() {
        String version = VmAgentMain.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
