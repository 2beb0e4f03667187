package dev.handoff.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** How the provisioner creates nodes. */
@ConfigMapping(prefix = "handoff.provisioner")
public interface ProvisionerConfig {

    /** The provider new nodes come from: {@code local} (vm-agent processes here) or {@code hetzner}. */
    @WithDefault("local")
    String provider();

    /** Give a task a node that is already connected, instead of creating one. */
    @WithDefault("true")
    boolean reuseConnectedNodes();

    /** How long a node's one-time token stays valid. */
    @WithDefault("PT10M")
    Duration tokenTtl();

    /** How long the token of a user's own machine ({@code POST /api/nodes/attach}) stays valid. */
    @WithDefault("PT1H")
    Duration attachTokenTtl();

    /**
     * How often nodes committed but never launched (the provisioner died between the two) are looked for and
     * launched; also once right after startup.
     */
    @WithDefault("10s")
    String launchResumeInterval();

    /** How old an unlaunched node must be before the sweep launches it (the normal launch follows its commit). */
    @WithDefault("PT5S")
    Duration launchResumeAfter();


    /** How node health is derived from heartbeats. */
    Health health();

    /** Warm pool: when nodes are reused, released and deleted. */
    Pool pool();

    /** Per-user limits. */
    Quota quota();

    /** Running cost of nodes. */
    Cost cost();

    /** The local provider: vm-agent processes on this machine. */
    Local local();

    /** The Hetzner Cloud provider. */
    Hetzner hetzner();

    /**
     * chat-service's internal address ({@code HANDOFF_PROVISIONER_SECRETS_URL}), where a user's own cloud API token
     * is read (shared service token). Unset: only the installation's token is used.
     */
    Optional<String> secretsUrl();

    interface Pool {

        /** How long a node without a task stays warm for its owner's next task before it is deleted. */
        @WithDefault("PT30M")
        Duration warmTime();

        /** A node is deleted once it is this old and has no task, warm or not, and gets no new task after. */
        @WithDefault("PT24H")
        Duration maxLifetime();

        /** How many tasks may hold one node at once (each has its own workspace there). */
        @WithDefault("4")
        int workspaceCap();

        /**
         * Task statuses (TaskStatusChanged) that release the task's node. A task whose turn ended keeps its node:
         * its agent stays alive for follow-ups.
         */
        @WithDefault("failed,cancelled,completed")
        Set<String> releaseOnStatuses();

        /** How often warm and over-age nodes are looked for and deleted. */
        @WithDefault("10s")
        String sweepInterval();
    }

    interface Quota {

        /** Nodes one user may have at once (deleted ones and attached machines do not count). */
        @WithDefault("10")
        int maxNodesPerOwner();

        /**
         * Machines of their own one user may have attached at once ({@code POST /api/nodes/attach}): connected,
         * disconnected, or a ticket whose token has not expired. Counted apart from {@link #maxNodesPerOwner()}: an
         * attached machine costs no cloud server, and a user with no node quota may still bring one.
         */
        @WithDefault("10")
        int maxAttachedPerOwner();

        /** Attach tokens one user may hold unused (no machine joined with them yet) and not expired at once. */
        @WithDefault("5")
        int maxAttachTicketsPerOwner();
    }

    interface Cost {

        /** The currency of the price table. */
        @WithDefault("EUR")
        String currency();

        /**
         * Price per hour by provider and size, e.g. {@code hetzner.small=0.0080}; a missing entry costs 0 (local
         * and attached nodes).
         */
        Map<String, Map<String, BigDecimal>> hourly();
    }

    interface Health {

        /** A node not heard from (heartbeat or connection) for longer than this is stale: no new tasks. */
        @WithDefault("PT90S")
        Duration staleAfter();

        /** A node not heard from for longer than this is lost. */
        @WithDefault("PT5M")
        Duration lostAfter();
    }

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

        /**
         * Variables of the provisioner's environment passed on to the vm-agent (agent API keys, the node's repository
         * policy {@code HANDOFF_REPOSITORY_*}, see docs/security.md).
         */
        @WithDefault("ANTHROPIC_API_KEY,HANDOFF_REPOSITORY_ALLOWED_NETWORKS,HANDOFF_REPOSITORY_ALLOW_HTTP,"
            + "HANDOFF_REPOSITORY_ALLOW_SSH,HANDOFF_REPOSITORY_ALLOW_FILE_URLS")
        List<String> passEnv();

        /**
         * Of {@link #passEnv()}, the variables only operators' nodes get: the installation's own model keys. Another
         * user's local node (only with {@link #trustEveryAccount()}) runs with the keys the user stored.
         */
        @WithDefault("ANTHROPIC_API_KEY,OPENAI_API_KEY,GEMINI_API_KEY")
        List<String> operatorOnlyEnv();

        /**
         * Start local nodes for every account, not only for operators. A local node runs the agent as the
         * provisioner's own OS user on this host (it can read the services' environments and other nodes' folders,
         * and reach PostgreSQL and Kafka), so this is for an installation whose every account is trusted like the
         * operator (one person, the test stacks). Off: another user's task gets a local node refused (NodeFailed,
         * permanent) and runs only on a machine of their own (attached) or another provider's.
         */
        @WithDefault("false")
        boolean trustEveryAccount();
    }

    interface Hetzner {

        /** Base URL of the Hetzner Cloud API, without {@code /v1}. */
        @WithDefault("https://api.hetzner.cloud")
        String apiUrl();

        /** Image of new servers: Ubuntu 24.04 with Docker. */
        @WithDefault("docker-ce")
        String image();

        /** Locations tried in order when a location cannot place the server. */
        @WithDefault("fsn1,nbg1,hel1,ash,hil")
        List<String> locations();

        /** Time between two polls of an action. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** How long an action (create, delete) may run before the client gives up on it. */
        @WithDefault("PT5M")
        Duration actionTimeout();

        /** Retries of one request after a 429, a 5xx or a lost connection. */
        @WithDefault("4")
        int maxRetries();

        /** First wait before a retry; doubles with each retry. */
        @WithDefault("PT0.5S")
        Duration retryBackoff();

        /** The longest single wait before a retry, also when Hetzner asks for a longer one. */
        @WithDefault("PT60S")
        Duration maxRetryWait();

        /** Limit for one HTTP request. */
        @WithDefault("PT30S")
        Duration requestTimeout();

        /**
         * The Hetzner Cloud API token nodes are created with ({@code HANDOFF_PROVISIONER_HETZNER_TOKEN}; never logged,
         * never in an event). One for the installation until users keep their own in the secrets store.
         */
        Optional<String> token();

        /**
         * Where a new server fetches its vm-agent and exchanges its bootstrap token: the gateway's public http(s)
         * address, e.g. {@code https://handoff.example.com}.
         */
        Optional<String> controlPlaneUrl();

        /** The WebSocket URL a new server's vm-agent dials, e.g. {@code wss://handoff.example.com/nodes/connect}. */
        Optional<String> gatewayUrl();

        /** How long a server's one-time bootstrap token stays valid (boot, packages, download). */
        @WithDefault("PT30M")
        Duration bootstrapTokenTtl();

        /** How often Handoff's servers are listed and the ones the database does not know deleted. */
        @WithDefault("5m")
        String reconcileInterval();
    }
}
