package dev.handoff.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
     * The public address of Handoff's chat (e.g. {@code https://handoff.example.com}); a task's page is
     * {@code <chat-public-url>/tasks/<taskId>}, linked from its pull request. Unset: pull requests carry the task id
     * but no link.
     */
    Optional<String> chatPublicUrl();

    /**
     * chat-service's internal address (e.g. {@code http://chat-service:8080}), where the gateway fetches a task's
     * secrets before it sends the task's workspace or agent command to the node. Unset: nodes get no secrets.
     */
    Optional<String> secretsUrl();
}
