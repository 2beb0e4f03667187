package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.handoff.localstack.HandoffStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code hetzner} provider through the real services, with the Hetzner Cloud API played by WireMock in
 * Hetzner's JSON shapes (a real VM cannot be started here). A task makes the provisioner create a server whose
 * user_data carries only the one-time bootstrap token; the test then does what that VM's bootstrap script does:
 * downloads the vm-agent from the gateway, exchanges the bootstrap token for the node token (once: a second
 * exchange is refused) and runs the vm-agent, which connects; the task runs on it. After the task's cancel and a
 * warm time shortened to 5 seconds the server is deleted through the API, and the periodic reconcile deletes a
 * labelled server the database does not know.
 */
@ExtendWith(SharedStack.class)
@SharedStack.ReconfiguresAtRunTime
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HetznerNodeEndToEndTest {

    /** The user's own Hetzner token, stored write-only in their settings: the user's servers are made with it. */
    private static final String HETZNER_TOKEN = "canary-hetzner-token-e2e-5d1f";
    /** The installation's token (the orphan reconcile's); never used for a user who has their own. */
    private static final String INSTALLATION_TOKEN = "installation-hetzner-token-e2e-77aa";
    private static final long SERVER_ID = 4242;
    private static final long ORPHAN_ID = 999;

    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer hetzner;
    private final HandoffStack stack = SharedStack.get().stack();
    /** A user of its own, with no node yet. */
    private final HandoffApi api = new HandoffApi(stack.chatUrl());
    private final String repositoryUrl = SharedStack.get().repositoryUrl();
    private Path vm;
    private Process vmAgent;

    @BeforeAll
    void start() throws Exception {
        hetzner = new WireMockServer(options().dynamicPort());
        hetzner.start();
        hetzner.stubFor(post("/v1/servers").willReturn(okJson("{\"server\":" + server(SERVER_ID, "node-pending")
            + ",\"action\":" + action(9001, "create_server", "running") + ",\"next_actions\":[],"
            + "\"root_password\":null}").withStatus(201)));
        hetzner.stubFor(get("/v1/actions/9001").willReturn(okJson("{\"action\":"
            + action(9001, "create_server", "success") + "}")));
        hetzner.stubFor(get(urlPathEqualTo("/v1/servers")).willReturn(okJson("{\"servers\":["
            + server(ORPHAN_ID, "node-the-db-forgot") + "],\"meta\":{\"pagination\":{\"page\":1,\"per_page\":50,"
            + "\"previous_page\":null,\"next_page\":null,\"last_page\":1,\"total_entries\":1}}}")));
        for (long id : List.of(SERVER_ID, ORPHAN_ID)) {
            hetzner.stubFor(delete("/v1/servers/" + id).willReturn(okJson("{\"action\":"
                + action(9100 + id, "delete_server", "running") + "}")));
            hetzner.stubFor(get("/v1/actions/" + (9100 + id)).willReturn(okJson("{\"action\":"
                + action(9100 + id, "delete_server", "success") + "}")));
        }
        Path work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve("hetzner-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        vm = Files.createDirectories(work.resolve("vm"));
        // The Hetzner API's URL is WireMock's port, known only now.
        SharedStack.get().reconfigure("provisioner-service", Map.of(
            "HANDOFF_PROVISIONER_PROVIDER", "hetzner",
            "HANDOFF_PROVISIONER_HETZNER_API_URL", hetzner.baseUrl(),
            "HANDOFF_PROVISIONER_HETZNER_TOKEN", INSTALLATION_TOKEN,
            "HANDOFF_PROVISIONER_HETZNER_POLL_INTERVAL", "PT0.1S",
            "HANDOFF_PROVISIONER_HETZNER_RECONCILE_INTERVAL", "2s",
            "HANDOFF_PROVISIONER_POOL_WARM_TIME", "PT5S",
            "HANDOFF_PROVISIONER_POOL_SWEEP_INTERVAL", "1s"));
    }

    @AfterAll
    void stop() {
        if (vmAgent != null) {
            vmAgent.descendants().forEach(ProcessHandle::destroyForcibly);
            vmAgent.destroyForcibly();
        }
        if (hetzner != null) {
            hetzner.stop();
        }
    }

    @Test
    void aTaskGetsAHetznerServerThatBootstrapsJoinsRunsTheTaskAndIsDeletedWhenWarmTimeEnds() throws Exception {
        assertThat(api.putSecret("hetzner_token", HETZNER_TOKEN).status()).isEqualTo(204);
        String projectId = api.createProject("hetzner", repositoryUrl);
        String taskId = api.submitTask(projectId, "Say ok").path("taskId").asText();

        await("server created").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
            .until(() -> !hetzner.findAll(postRequestedFor(urlEqualTo("/v1/servers"))).isEmpty());
        JsonNode create = new ObjectMapper().readTree(
            hetzner.findAll(postRequestedFor(urlEqualTo("/v1/servers"))).get(0).getBodyAsString());
        assertThat(hetzner.findAll(postRequestedFor(urlEqualTo("/v1/servers"))).get(0).getHeader("Authorization"))
            .as("the server is made with the user's own token from the secrets store").isEqualTo("Bearer " + HETZNER_TOKEN);
        String userData = create.path("user_data").asText();
        String nodeId = create.path("labels").path("handoff-node").asText();
        assertThat(create.path("server_type").asText()).isEqualTo("cx23");
        assertThat(userData).startsWith("#cloud-config").contains("HANDOFF_NODE_ID=" + nodeId)
            .doesNotContain(HETZNER_TOKEN).doesNotContain(INSTALLATION_TOKEN).doesNotContainPattern("HANDOFF_NODE_TOKEN=[A-Za-z0-9_-]");
        String bootstrapToken = find(userData, "BOOTSTRAP_TOKEN='([A-Za-z0-9_-]+)'");
        String controlPlane = find(userData, "CONTROL_PLANE='([^']+)'");
        assertThat(controlPlane).isEqualTo(stack.serviceUrl("vm-agent-gateway"));

        // What the VM's bootstrap script does, then its systemd unit.
        download(controlPlane + "/nodes/bootstrap/vm-agent.jar", vm.resolve("vm-agent.jar"));
        download(controlPlane + "/nodes/bootstrap/agents.json", vm.resolve("agents.json"));
        HttpResponse<String> exchanged = exchange(controlPlane, bootstrapToken);
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        String nodeToken = exchanged.body().strip();
        assertThat(nodeToken).matches("[A-Za-z0-9_-]{32,}").isNotEqualTo(bootstrapToken);
        assertThat(exchange(controlPlane, bootstrapToken).statusCode()).as("the bootstrap token is spent")
            .isEqualTo(401);
        vmAgent = runVmAgent(nodeId, nodeToken);

        await("task turn ended on the Hetzner node").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));
        JsonNode taskNode = api.task(taskId).path("node");
        assertThat(taskNode.path("nodeId").asText()).isEqualTo(nodeId);
        assertThat(taskNode.path("provider").asText()).isEqualTo("hetzner");
        JsonNode node = api.node(nodeId);
        assertThat(node.path("status").asText()).isEqualTo("connected");
        assertThat(node.path("size").asText()).isEqualTo("small");
        assertThat(node.path("hourlyPrice").decimalValue()).isPositive();

        assertThat(api.cancelTask(taskId).status()).isEqualTo(202);

        await("server deleted after the warm time").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
            .until(() -> api.node(nodeId).path("status").asText().equals("deleted"));
        hetzner.verify(1, deleteRequestedFor(urlEqualTo("/v1/servers/" + SERVER_ID)));
        await("the refused vm-agent exits").atMost(Duration.ofSeconds(30)).until(() -> !vmAgent.isAlive());
        await("orphan deleted by the reconcile").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            hetzner.verify(deleteRequestedFor(urlEqualTo("/v1/servers/" + ORPHAN_ID))));
    }

    private HttpResponse<String> exchange(String controlPlane, String bootstrapToken) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(controlPlane + "/nodes/bootstrap/node-token"))
            .header("Authorization", "Bearer " + bootstrapToken).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private void download(String url, Path to) throws Exception {
        HttpResponse<Path> answer = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofFile(to));
        assertThat(answer.statusCode()).as(url).isEqualTo(200);
    }

    private Process runVmAgent(String nodeId, String nodeToken) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", vm.resolve("vm-agent.jar").toString()))
            .directory(vm.toFile())
            .redirectErrorStream(true)
            .redirectOutput(vm.resolve("vm-agent.log").toFile());
        Map<String, String> env = builder.environment();
        env.remove("ANTHROPIC_API_KEY");
        env.put("HOME", vm.toString());
        // This test's repository is a file:// URL on this machine; a real node refuses those unless allowed.
        env.put("HANDOFF_REPOSITORY_ALLOW_FILE_URLS", "true");
        env.put("PATH", Path.of(java).getParent() + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HANDOFF_GATEWAY_URL", stack.gatewayUrl());
        env.put("HANDOFF_NODE_ID", nodeId);
        env.put("HANDOFF_NODE_TOKEN", nodeToken);
        env.put("HANDOFF_WORK_DIR", vm.resolve("work").toString());
        env.put("HANDOFF_AGENTS_FILE", vm.resolve("agents.json").toString());
        return builder.start();
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex + " in the user_data").isTrue();
        return matcher.group(1);
    }

    private static String server(long id, String nodeId) {
        return "{\"id\":" + id + ",\"name\":\"handoff-" + nodeId + "\",\"status\":\"running\","
            + "\"created\":\"2026-11-24T06:00:00+00:00\","
            + "\"public_net\":{\"ipv4\":{\"id\":" + (100 + id) + ",\"ip\":\"203.0.113.7\",\"blocked\":false,"
            + "\"dns_ptr\":\"static.example.com\"},\"ipv6\":null,\"floating_ips\":[],\"firewalls\":[]},"
            + "\"server_type\":{\"id\":1,\"name\":\"cx23\",\"cores\":2,\"memory\":4.0,\"disk\":40},"
            + "\"datacenter\":{\"id\":1,\"name\":\"fsn1-dc14\",\"location\":{\"id\":1,\"name\":\"fsn1\","
            + "\"country\":\"DE\"}},\"image\":{\"id\":4711,\"type\":\"app\",\"name\":\"docker-ce\"},"
            + "\"labels\":{\"managed-by\":\"handoff\",\"handoff-node\":\"" + nodeId + "\"},"
            + "\"protection\":{\"delete\":false,\"rebuild\":false}}";
    }

    private static String action(long id, String command, String status) {
        String finished = "running".equals(status) ? "null" : "\"2026-11-24T06:01:00+00:00\"";
        return "{\"id\":" + id + ",\"command\":\"" + command + "\",\"status\":\"" + status + "\",\"progress\":"
            + ("running".equals(status) ? 0 : 100) + ",\"started\":\"2026-11-24T06:00:00+00:00\",\"finished\":"
            + finished + ",\"resources\":[{\"id\":42,\"type\":\"server\"}],\"error\":null}";
    }
}
