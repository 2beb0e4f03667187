package dev.handoff.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How the provisioner creates nodes. */
@ConfigMapping(prefix = "handoff.provisioner")
public interface ProvisionerConfig {

    /** The provider new nodes come from. Only {@code local} exists so far. */
    @WithDefault("local")
    String provider();

    /** Give a task a node that is already connected, instead of creating one. */
    @WithDefault("true")
    boolean reuseConnectedNodes();

    /** How long a node's one-time token stays valid. */
    @WithDefault("PT10M")
    Duration tokenTtl();

    /** The local provider: vm-agent processes on this machine. */
    Local local();

    interface Local {

        /** The vm-agent jar to run (vm-agent/target/vm-agent.jar). */
        Optional<Path> vmAgentJar();

        /** The java binary that runs it. */
        @WithDefault("java")
        String java();

        /** Where each node gets its own folder (workspaces, agent homes, log). */
        @WithDefault(".handoff/nodes")
        Path workDir();

        /** The gateway URL nodes dial. */
        @WithDefault("ws://127.0.0.1:8083/nodes/connect")
        String gatewayUrl();

        /** The agents file handed to each vm-agent (commands and environment of each agent). */
        Optional<Path> agentsFile();

        /** Variables of the provisioner's environment passed on to the vm-agent (agent API keys). */
        @WithDefault("ANTHROPIC_API_KEY")
        List<String> passEnv();
    }
}
