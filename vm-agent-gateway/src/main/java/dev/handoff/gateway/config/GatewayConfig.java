package dev.handoff.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Gateway settings. */
@ConfigMapping(prefix = "handoff.gateway")
public interface GatewayConfig {

    /**
     * How long a command for a node that is not connected waits for it to (re)connect before the command fails:
     * a node reconnects by itself after a network cut or a gateway restart.
     */
    @WithDefault("PT30S")
    Duration nodeReconnectGrace();

    /**
     * The shortest time between two NodeHeartbeat events of one node: heartbeat frames arriving sooner are
     * dropped, so a node sending too often cannot flood Kafka. Nodes send one every 30 s by default.
     */
    @WithDefault("PT20S")
    Duration heartbeatForwardInterval();

    /** What new nodes download from {@code /nodes/bootstrap/}: nothing secret. */
    Bootstrap bootstrap();

    interface Bootstrap {

        /** The vm-agent build served at {@code /nodes/bootstrap/vm-agent.jar} (vm-agent/target/vm-agent.jar). */
        Optional<Path> vmAgentJar();

        /**
         * The agents file served at {@code /nodes/bootstrap/agents.json}: which agents a node runs and how. It must
         * hold no API key (agents get keys from their environment, {@code passEnv}).
         */
        Optional<Path> agentsFile();
    }
}
