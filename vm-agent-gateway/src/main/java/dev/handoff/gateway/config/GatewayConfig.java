package dev.handoff.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

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

    /**
     * The shortest time between two NodeHeartbeat events of one node: heartbeat frames arriving sooner are
     * dropped, so a node sending too often cannot flood Kafka. Nodes send one every 30 s by default.
     */
    @WithDefault("PT20S")
    Duration heartbeatForwardInterval();

    /**
     * The largest WebSocket frame (and message) a node may send, in bytes. A bigger one closes the node's connection
     * with 1009 before it is read. Told to the node in its Welcome, so the vm-agent shortens an oversized report (a
     * huge diff in a tool call update) to fit instead of resending it forever. A report becomes one Kafka record of
     * about its size: keep this under the brokers' and producers' message size limit (1 MB by default).
     */
    @WithDefault("524288")
    @WithName("max-frame-bytes")
    int maxFrameBytes();

    /**
     * How long a new connection may stay open without its hello: a connection that says nothing by then is closed
     * (1008), so idle sockets cannot pile up at the door. A real node says hello right after it connects.
     */
    @WithDefault("PT10S")
    Duration helloDeadline();

    /**
     * How long a welcomed node may send nothing (no report, no heartbeat) before its connection is closed (1008) and
     * the node reported disconnected, so no task is given to it: a node whose host lost power or network behind a
     * NAT leaves a half-open connection that would look connected until TCP gives up, minutes later. Told to the
     * node in its Welcome; the vm-agent then sends a heartbeat at least every third of it.
     */
    @WithDefault("PT90S")
    Duration nodeSilentAfter();

    /**
     * How many connections one remote address may have open at once that have not said their hello yet; one more is
     * closed at once (1008). Nodes say hello right after connecting, so even many nodes behind one NAT reconnecting
     * together after a gateway restart stay far below it (one refused retries after its backoff).
     */
    @WithDefault("32")
    int maxPendingHellosPerAddress();

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
