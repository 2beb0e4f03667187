package dev.handoff.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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
}
