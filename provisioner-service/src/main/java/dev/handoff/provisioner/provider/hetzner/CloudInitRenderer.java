package dev.handoff.provisioner.provider.hetzner;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the {@code #cloud-config} user_data that turns a fresh Ubuntu 24.04 VM into a node: packages (Java 17,
 * git, Node.js), a non-root user {@code handoff}, the vm-agent's environment file (owner handoff, 0600), a systemd
 * unit running the vm-agent as that user, and a root-only bootstrap script that fetches the vm-agent build, the
 * agents file and the node token from the control plane with the one-time bootstrap token, then starts the unit.
 *
 * <p>The only secret in the output is the bootstrap token. The node token is not in it: user_data stays readable
 * from the metadata service by every process on the VM (coding agents included) for the VM's whole life, so it
 * holds only a token that is spent by the time an agent runs. The YAML is emitted by SnakeYAML (escaping by
 * construction) and the values are validated by {@link NodeBootstrap} (nothing can break out of the shell script).
 */
public final class CloudInitRenderer {

    public static final String ENV_FILE = "/etc/handoff/vm-agent.env";
    public static final String AGENTS_FILE = "/etc/handoff/agents.json";
    public static final String VM_AGENT_JAR = "/opt/handoff/vm-agent.jar";
    public static final String BOOTSTRAP_SCRIPT = "/opt/handoff/bootstrap.sh";
    public static final String UNIT_FILE = "/etc/systemd/system/handoff-vm-agent.service";
    public static final String WORK_DIR = "/var/lib/handoff";
    public static final String USER = "handoff";

    public static final List<String> PACKAGES = List.of("openjdk-17-jre-headless", "git", "nodejs", "npm", "curl",
        "ca-certificates");

    public String render(NodeBootstrap node) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("package_update", true);
        config.put("packages", PACKAGES);
        config.put("users", List.of("default", map(
            "name", USER,
            "gecos", "Handoff vm-agent",
            "shell", "/bin/bash",
            "lock_passwd", true)));
        config.put("write_files", List.of(
            // Deferred to the final stage: the user handoff exists by then (users are created after write_files).
            file(ENV_FILE, USER + ":" + USER, "0600", envFile(node), true),
            file(UNIT_FILE, "root:root", "0644", unit(), false),
            file(BOOTSTRAP_SCRIPT, "root:root", "0700", bootstrapScript(node), false)));
        config.put("runcmd", List.of(List.of(BOOTSTRAP_SCRIPT)));
        return "#cloud-config\n" + yaml().dump(config);
    }

    private static String envFile(NodeBootstrap node) {
        return "HANDOFF_GATEWAY_URL=" + node.gatewayUrl() + "\n"
            + "HANDOFF_NODE_ID=" + node.nodeId() + "\n"
            + "HANDOFF_WORK_DIR=" + WORK_DIR + "\n"
            + "HANDOFF_AGENTS_FILE=" + AGENTS_FILE + "\n";
        // HANDOFF_NODE_TOKEN is appended by the bootstrap script once it has exchanged the bootstrap token.
    }

    private static String unit() {
        return """
            [Unit]
            Description=Handoff vm-agent
            Wants=network-online.target
            After=network-online.target

            [Service]
            User=handoff
            Group=handoff
            EnvironmentFile=/etc/handoff/vm-agent.env
            WorkingDirectory=/var/lib/handoff
            ExecStart=/usr/bin/java -jar /opt/handoff/vm-agent.jar
            Restart=on-failure
            RestartSec=5
            # 2: invalid configuration, 3: refused by the gateway; neither gets better by restarting.
            RestartPreventExitStatus=2 3

            [Install]
            WantedBy=multi-user.target
            """;
    }

    /**
     * The token reaches curl on its standard input ({@code -K -}), never on a command line ({@code ps}). The node
     * token is fetched last: that request spends the bootstrap token.
     */
    private static String bootstrapScript(NodeBootstrap node) {
        return """
            #!/bin/sh
            # Handoff node bootstrap (written by cloud-init, run once by root, deletes itself).
            set -eu
            umask 077
            CONTROL_PLANE='%s'
            BOOTSTRAP_TOKEN='%s'
            fetch() {
              printf 'header = "Authorization: Bearer %%s"\\n' "$BOOTSTRAP_TOKEN" \\
                | curl -fsS --retry 10 --retry-connrefused --retry-delay 3 -K - "$@"
            }
            install -d -o root -g root -m 0755 /opt/handoff /etc/handoff
            install -d -o handoff -g handoff -m 0700 %s
            fetch -o /opt/handoff/vm-agent.jar.part "$CONTROL_PLANE/nodes/bootstrap/vm-agent.jar"
            chmod 0644 /opt/handoff/vm-agent.jar.part
            mv /opt/handoff/vm-agent.jar.part %s
            fetch -o %s "$CONTROL_PLANE/nodes/bootstrap/agents.json"
            chown handoff:handoff %s
            chmod 0600 %s
            NODE_TOKEN=$(fetch -X POST "$CONTROL_PLANE/nodes/bootstrap/node-token")
            case "$NODE_TOKEN" in
              ''|*[!A-Za-z0-9_-]*) echo "handoff bootstrap: the control plane sent no valid node token" >&2; exit 1;;
            esac
            printf 'HANDOFF_NODE_TOKEN=%%s\\n' "$NODE_TOKEN" >> %s
            systemctl daemon-reload
            systemctl enable --now handoff-vm-agent.service
            rm -f "$0"
            """.formatted(node.controlPlaneBase(), node.bootstrapToken(), WORK_DIR, VM_AGENT_JAR, AGENTS_FILE,
            AGENTS_FILE, AGENTS_FILE, ENV_FILE);
    }

    private static Map<String, Object> file(String path, String owner, String permissions, String content,
                                            boolean defer) {
        Map<String, Object> file = map("path", path, "owner", owner, "permissions", permissions,
            "content", content);
        if (defer) {
            file.put("defer", true);
        }
        return file;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setWidth(200);
        return new Yaml(new LiteralBlocks(options), options);
    }

    /** Multi-line strings (files, the script) as literal blocks, so the user_data reads like the files it writes. */
    private static final class LiteralBlocks extends Representer {

        LiteralBlocks(DumperOptions options) {
            super(options);
            Represent plain = this.representers.get(String.class);
            this.representers.put(String.class, data -> ((String) data).contains("\n")
                ? representScalar(Tag.STR, (String) data, DumperOptions.ScalarStyle.LITERAL)
                : plain.representData(data));
        }
    }
}
