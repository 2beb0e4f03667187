package dev.handoff.vmagent;

import dev.handoff.contracts.net.RepositoryUrlPolicy;
import dev.handoff.vmagent.gateway.OutboundQueue;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The vm-agent's settings, read from the environment.
 *
 * @param gatewayUrl        {@code HANDOFF_GATEWAY_URL}: wss:// URL of the gateway's node endpoint; plain ws:// only
 *                          to this machine (localhost, 127.0.0.0/8, ::1) unless {@value #ALLOW_PLAIN_WS} is true
 * @param nodeId            {@code HANDOFF_NODE_ID}: this node's id
 * @param nodeToken         {@code HANDOFF_NODE_TOKEN}: one-time token for the first Hello; never logged
 * @param workDir           {@code HANDOFF_WORK_DIR}: holds {@code workspaces/} and {@code agent-homes/}
 * @param agentsFile        {@code HANDOFF_AGENTS_FILE}: JSON file describing the agents this node can run
 * @param hostname          {@code HANDOFF_NODE_HOSTNAME}: reported in Hello; defaults to the local host name
 * @param cloneTimeout      {@code HANDOFF_CLONE_TIMEOUT_SECONDS}: limit for one git clone, default 600
 * @param agentStartTimeout {@code HANDOFF_AGENT_START_TIMEOUT_SECONDS}: limit for each of initialize and
 *                          session/new, default 60
 * @param agentStopGrace    {@code HANDOFF_AGENT_STOP_GRACE_SECONDS}: how long a stopped agent may take to answer
 *                          session/cancel before its process tree is killed, default 5
 * @param maxUnackedBytes   {@code HANDOFF_MAX_UNACKED_MB} (in MB): reports kept until the gateway acknowledges
 *                          them; beyond it agent output waits for acks; default 16
 * @param agentIdleTimeout  {@code HANDOFF_AGENT_IDLE_TIMEOUT_SECONDS}: how long an agent whose turn ended stays
 *                          alive for a follow-up before it is ended, default 1800 (30 minutes)

 * @param heartbeatInterval {@code HANDOFF_HEARTBEAT_INTERVAL_SECONDS}: time between two heartbeats (load, memory,
 *                          disk) to the gateway, default 30
 * @param repositoryPolicy  which repository URLs this node clones: {@code HANDOFF_REPOSITORY_ALLOWED_NETWORKS}
 *                          (comma-separated CIDRs allowed besides public addresses, default none),
 *                          {@code HANDOFF_REPOSITORY_ALLOW_HTTP} (plain http:// and git://, default false),
 *                          {@code HANDOFF_REPOSITORY_ALLOW_SSH} (default true),
 *                          {@code HANDOFF_REPOSITORY_ALLOW_FILE_URLS} (file://, default false)
 */
public record VmAgentConfig(URI gatewayUrl, String nodeId, String nodeToken, Path workDir, Path agentsFile,
                            String hostname, Duration cloneTimeout, Duration agentStartTimeout,
                            Duration agentStopGrace, long maxUnackedBytes, Duration agentIdleTimeout,
                            Duration heartbeatInterval, RepositoryUrlPolicy repositoryPolicy) {

    /** With the strict repository policy (https and ssh to public addresses). */
    public VmAgentConfig(URI gatewayUrl, String nodeId, String nodeToken, Path workDir, Path agentsFile,
                         String hostname, Duration cloneTimeout, Duration agentStartTimeout, Duration agentStopGrace,
                         long maxUnackedBytes, Duration agentIdleTimeout, Duration heartbeatInterval) {
        this(gatewayUrl, nodeId, nodeToken, workDir, agentsFile, hostname, cloneTimeout, agentStartTimeout,
            agentStopGrace, maxUnackedBytes, agentIdleTimeout, heartbeatInterval, RepositoryUrlPolicy.strict());
    }

    /** With the default idle timeout and heartbeat interval. */
    public VmAgentConfig(URI gatewayUrl, String nodeId, String nodeToken, Path workDir, Path agentsFile,
                         String hostname, Duration cloneTimeout, Duration agentStartTimeout, Duration agentStopGrace,
                         long maxUnackedBytes) {
        this(gatewayUrl, nodeId, nodeToken, workDir, agentsFile, hostname, cloneTimeout, agentStartTimeout,
            agentStopGrace, maxUnackedBytes, DEFAULT_AGENT_IDLE_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL);
    }

    /** With the default bound of unacknowledged reports. */
    public VmAgentConfig(URI gatewayUrl, String nodeId, String nodeToken, Path workDir, Path agentsFile,
                         String hostname, Duration cloneTimeout, Duration agentStartTimeout, Duration agentStopGrace) {
        this(gatewayUrl, nodeId, nodeToken, workDir, agentsFile, hostname, cloneTimeout, agentStartTimeout,
            agentStopGrace, OutboundQueue.DEFAULT_MAX_UNACKED_BYTES);
    }

    static final Duration DEFAULT_CLONE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DEFAULT_AGENT_START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_AGENT_STOP_GRACE = Duration.ofSeconds(5);
    static final Duration DEFAULT_AGENT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

    /**
     * {@code HANDOFF_GATEWAY_ALLOW_PLAIN_WS}: {@code true} lets {@code HANDOFF_GATEWAY_URL} be plain ws:// to a host
     * other than this machine (a lab, a private network the operator trusts); by default only wss:// may leave it.
     */
    static final String ALLOW_PLAIN_WS = "HANDOFF_GATEWAY_ALLOW_PLAIN_WS";

    /** Thrown when the environment does not describe a usable configuration; the message lists every problem. */
    public static final class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(List<String> problems) {
            super("invalid vm-agent configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** Reads and validates the configuration from {@code env} (normally {@link System#getenv()}). */
    public static VmAgentConfig fromEnvironment(Map<String, String> env) {
        var reader = new Reader(env);
        var config = new VmAgentConfig(
            reader.gatewayUrl("HANDOFF_GATEWAY_URL"),
            reader.required("HANDOFF_NODE_ID"),
            reader.required("HANDOFF_NODE_TOKEN"),
            reader.path("HANDOFF_WORK_DIR"),
            reader.readableFile("HANDOFF_AGENTS_FILE"),
            reader.optional("HANDOFF_NODE_HOSTNAME", localHostName()),
            reader.seconds("HANDOFF_CLONE_TIMEOUT_SECONDS", DEFAULT_CLONE_TIMEOUT),
            reader.seconds("HANDOFF_AGENT_START_TIMEOUT_SECONDS", DEFAULT_AGENT_START_TIMEOUT),
            reader.seconds("HANDOFF_AGENT_STOP_GRACE_SECONDS", DEFAULT_AGENT_STOP_GRACE),
            reader.megabytes("HANDOFF_MAX_UNACKED_MB", OutboundQueue.DEFAULT_MAX_UNACKED_BYTES),
            reader.seconds("HANDOFF_AGENT_IDLE_TIMEOUT_SECONDS", DEFAULT_AGENT_IDLE_TIMEOUT),
            reader.seconds("HANDOFF_HEARTBEAT_INTERVAL_SECONDS", DEFAULT_HEARTBEAT_INTERVAL),
            reader.repositoryPolicy());
        if (!reader.problems.isEmpty()) {
            throw new InvalidConfigException(reader.problems);
        }
        return config;
    }

    public Path workspacesDir() {
        return workDir.resolve("workspaces");
    }

    public Path agentHomesDir() {
        return workDir.resolve("agent-homes");
    }

    /** Keeps the token out of logs and exception messages. */
    @Override
    public String toString() {
        return "VmAgentConfig[gatewayUrl=" + gatewayUrl + ", nodeId=" + nodeId + ", nodeToken=<redacted>, workDir="
            + workDir + ", agentsFile=" + agentsFile + ", hostname=" + hostname + ", cloneTimeout=" + cloneTimeout
            + ", agentStartTimeout=" + agentStartTimeout + ", agentStopGrace=" + agentStopGrace
            + ", maxUnackedBytes=" + maxUnackedBytes + ", agentIdleTimeout=" + agentIdleTimeout
            + ", heartbeatInterval=" + heartbeatInterval + ", repositoryPolicy=" + repositoryPolicy + "]";
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Collects problems instead of stopping at the first, so one run shows everything to fix. */
    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        String required(String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                problems.add(name + " is required but not set");
                return null;
            }
            return value.strip();
        }

        String optional(String name, String defaultValue) {
            String value = env.get(name);
            return value == null || value.isBlank() ? defaultValue : value.strip();
        }

        URI gatewayUrl(String name) {
            String value = required(name);
            if (value == null) {
                return null;
            }
            try {
                URI uri = new URI(value);
                if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
                    problems.add(name + " must be a ws:// or wss:// URL with a host, e.g. "
                        + "wss://handoff.example.com/nodes/connect (got '" + value + "')");
                } else if ("ws".equals(uri.getScheme()) && !isLoopback(uri.getHost())
                    && !bool(ALLOW_PLAIN_WS, false)) {
                    problems.add(name + " is plain ws:// to " + uri.getHost() + ", which is not this machine: the "
                        + "node token and every task's secrets would cross the network unencrypted. Use wss:// "
                        + "(TLS), or set " + ALLOW_PLAIN_WS + "=true on a network you trust (a lab) (got '"
                        + value + "')");
                }
                return uri;
            } catch (URISyntaxException e) {
                problems.add(name + " is not a valid URL: " + e.getMessage());
                return null;
            }
        }

        /**
         * Loopback by its name or address alone, never resolved: {@code localhost}, {@code 127.0.0.0/8},
         * {@code ::1}. A name that merely resolves to loopback counts as remote.
         */
        static boolean isLoopback(String host) {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (bare.equalsIgnoreCase("localhost")) {
                return true;
            }
            if (bare.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
                return true;
            }
            if (bare.contains(":")) {
                try {
                    return InetAddress.getByName(bare).isLoopbackAddress();
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return false;
        }

        Path path(String name) {
            String value = required(name);
            if (value == null) {
                return null;
            }
            try {
                return Path.of(value).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                problems.add(name + " is not a valid path: " + e.getMessage());
                return null;
            }
        }

        Path readableFile(String name) {
            Path path = path(name);
            if (path != null && !(Files.isRegularFile(path) && Files.isReadable(path))) {
                problems.add(name + " must name a readable file (got '" + path + "')");
            }
            return path;
        }

        Duration seconds(String name, Duration defaultValue) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            try {
                long seconds = Long.parseLong(value.strip());
                if (seconds > 0) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(name + " must be a positive number of seconds (got '" + value + "')");
            return defaultValue;
        }

        RepositoryUrlPolicy repositoryPolicy() {
            String networks = optional("HANDOFF_REPOSITORY_ALLOWED_NETWORKS", "");
            boolean http = bool("HANDOFF_REPOSITORY_ALLOW_HTTP", false);
            boolean ssh = bool("HANDOFF_REPOSITORY_ALLOW_SSH", true);
            boolean file = bool("HANDOFF_REPOSITORY_ALLOW_FILE_URLS", false);
            try {
                return RepositoryUrlPolicy.of(List.of(networks.split(",")), http, ssh, file);
            } catch (IllegalArgumentException e) {
                problems.add("HANDOFF_REPOSITORY_ALLOWED_NETWORKS: " + e.getMessage());
                return RepositoryUrlPolicy.strict();
            }
        }

        boolean bool(String name, boolean defaultValue) {
            String value = optional(name, null);
            if (value == null) {
                return defaultValue;
            }
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            problems.add(name + " must be true or false (got '" + value + "')");
            return defaultValue;
        }

        long megabytes(String name, long defaultBytes) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return defaultBytes;
            }
            try {
                long megabytes = Long.parseLong(value.strip());
                if (megabytes > 0 && megabytes <= 64 * 1024) {
                    return megabytes * 1024 * 1024;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(name + " must be a whole number of megabytes from 1 to 65536 (got '" + value + "')");
            return defaultBytes;
        }
    }
}
