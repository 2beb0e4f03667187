package dev.handoff.provisioner.provider.hetzner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The user_data of a Hetzner node: valid cloud-config, files with the right owners, one one-time secret only. */
class CloudInitRendererTest {

    static final String BOOTSTRAP_TOKEN = "bootstrapCanary_0123456789abcdefghijKLMN";
    private static final URI CONTROL_PLANE = URI.create("https://handoff.example.com");
    private static final URI GATEWAY = URI.create("wss://gateway.example.com/nodes/connect");

    private final CloudInitRenderer renderer = new CloudInitRenderer();

    static NodeBootstrap node(String nodeId) {
        return new NodeBootstrap(nodeId, CONTROL_PLANE, GATEWAY, BOOTSTRAP_TOKEN);
    }

    @Test
    void rendersCloudConfigThatParsesAsYaml() {
        String userData = renderer.render(node("node-1a2b"));

        assertThat(userData.lines().findFirst()).contains("#cloud-config");
        Map<String, Object> config = new Yaml().load(userData);
        assertThat(config.get("package_update")).isEqualTo(true);
        assertThat(asList(config.get("packages"))).contains("openjdk-17-jre-headless", "git", "nodejs", "npm");
        assertThat(asList(config.get("users"))).contains("default")
            .anySatisfy(user -> assertThat(user).isInstanceOfSatisfying(Map.class, map -> assertThat(map)
                .containsEntry("name", "handoff").containsEntry("lock_passwd", true)));
        assertThat(asList(config.get("runcmd"))).containsExactly(List.of(CloudInitRenderer.BOOTSTRAP_SCRIPT));
    }

    @Test
    void theEnvironmentFileBelongsToHandoffAndIsReadableOnlyByIt() {
        Map<String, Object> env = writtenFile(renderer.render(node("node-1a2b")), CloudInitRenderer.ENV_FILE);

        assertThat(env).containsEntry("owner", "handoff:handoff").containsEntry("permissions", "0600")
            .containsEntry("defer", true);
        assertThat((String) env.get("content")).isEqualTo("""
            HANDOFF_GATEWAY_URL=wss://gateway.example.com/nodes/connect
            HANDOFF_NODE_ID=node-1a2b
            HANDOFF_WORK_DIR=/var/lib/handoff
            HANDOFF_AGENTS_FILE=/etc/handoff/agents.json
            """);
    }

    @Test
    void theUnitRunsTheVmAgentAsHandoffWithTheEnvironmentFile() {
        Map<String, Object> unit = writtenFile(renderer.render(node("node-1a2b")), CloudInitRenderer.UNIT_FILE);

        assertThat(unit).containsEntry("owner", "root:root").containsEntry("permissions", "0644");
        assertThat((String) unit.get("content")).contains(
            "User=handoff\n",
            "EnvironmentFile=/etc/handoff/vm-agent.env\n",
            "ExecStart=/usr/bin/java -jar /opt/handoff/vm-agent.jar\n",
            "RestartPreventExitStatus=2 3\n",
            "WantedBy=multi-user.target\n");
    }

    @Test
    void theBootstrapScriptFetchesWithTheTokenOnStdinAndStartsTheUnit() throws Exception {
        Map<String, Object> file = writtenFile(renderer.render(node("node-1a2b")), CloudInitRenderer.BOOTSTRAP_SCRIPT);
        String script = (String) file.get("content");

        assertThat(file).containsEntry("owner", "root:root").containsEntry("permissions", "0700");
        assertThat(script).startsWith("#!/bin/sh\n")
            .contains("CONTROL_PLANE='https://handoff.example.com'\n")
            .contains("BOOTSTRAP_TOKEN='" + BOOTSTRAP_TOKEN + "'\n")
            .contains("-K - \"$@\"")
            .contains("\"$CONTROL_PLANE/nodes/bootstrap/vm-agent.jar\"")
            .contains("mv /opt/handoff/vm-agent.jar.part /opt/handoff/vm-agent.jar\n")
            .contains("\"$CONTROL_PLANE/nodes/bootstrap/node-token\"")
            .contains(">> /etc/handoff/vm-agent.env\n")
            .contains("systemctl enable --now handoff-vm-agent.service\n");
        assertThat(script.indexOf("node-token")).as("the request that spends the token comes last")
            .isGreaterThan(script.indexOf("vm-agent.jar\"")).isGreaterThan(script.indexOf("agents.json\""));
        assertThat(script.lines().filter(line -> line.contains(BOOTSTRAP_TOKEN)))
            .as("the token is only assigned, never on a command line").hasSize(1);
        assertShellSyntax(script);
    }

    @Test
    void theOnlySecretInTheUserDataIsTheBootstrapTokenOnce() {
        String userData = renderer.render(node("node-1a2b"));

        assertThat(userData.split(BOOTSTRAP_TOKEN, -1)).hasSize(2);
        assertThat(userData).doesNotContain("HANDOFF_NODE_TOKEN=" + BOOTSTRAP_TOKEN)
            .doesNotContainIgnoringCase("api_key").doesNotContain("hcloud");
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-1\nruncmd: [reboot]", "node'; reboot; '", "Node-1", "node 1", "-node", "node-",
        "node-$(reboot)", "a-very-long-node-id-that-is-longer-than-fifty-characters"})
    void refusesNodeIdsThatCouldBreakOut(String nodeId) {
        assertThatThrownBy(() -> node(nodeId)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("node id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cp.example.com/';reboot;'", "https://cp.example.com/$(reboot)",
        "https://cp.example.com/a;b", "https://cp.example.com/?x=1&y=2", "https://user:pw@cp.example.com",
        "ftp://cp.example.com", "https://cp.example.com/#frag", "https://cp.example.com/a*b", "/relative"})
    void refusesControlPlaneUrlsThatCouldBreakOut(String url) {
        assertThatThrownBy(() -> new NodeBootstrap("node-1", URI.create(url), GATEWAY, BOOTSTRAP_TOKEN))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control plane URL");
    }

    @Test
    void refusesAGatewayUrlThatIsNotAWebSocketAndATokenWithForeignCharacters() {
        assertThatThrownBy(() -> new NodeBootstrap("node-1", CONTROL_PLANE, URI.create("https://gw.example.com"),
            BOOTSTRAP_TOKEN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway URL");
        assertThatThrownBy(() -> new NodeBootstrap("node-1", CONTROL_PLANE, GATEWAY,
            "x'; reboot; 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bootstrap token");
    }

    @Test
    void fitsInHetznersUserDataLimit() {
        assertThat(renderer.render(node("node-1a2b")).length()).isLessThan(32 * 1024);
        new ServerSpec("node-1a2b", ServerSize.SMALL, renderer.render(node("node-1a2b")));
    }

    private static Map<String, Object> writtenFile(String userData, String path) {
        Map<String, Object> config = new Yaml().load(userData);
        return asList(config.get("write_files")).stream().map(CloudInitRendererTest::asMap)
            .filter(file -> path.equals(file.get("path"))).findFirst()
            .orElseThrow(() -> new AssertionError("no write_files entry for " + path));
    }

    private static void assertShellSyntax(String script) throws IOException, InterruptedException {
        assumeThat(Path.of("/bin/sh")).exists();
        Path file = Files.createTempFile("bootstrap", ".sh");
        try {
            Files.writeString(file, script);
            Process check = new ProcessBuilder("/bin/sh", "-n", file.toString()).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor()).as("sh -n: " + output).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
