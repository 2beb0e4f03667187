package dev.handoff.provisioner.provider.hetzner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

/** Handoff nodes as Hetzner servers against a fake Hetzner API (WireMock) speaking Hetzner's JSON. */
class HetznerNodesTest {

    private static final String TOKEN = "canary-hetzner-token-9b1c";
    private static final String BOOTSTRAP = "bootstrapTokenAbcdefghijklmnopqrstuvwxyz0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer hetzner;

    private HetznerNodes nodes;

    @BeforeAll
    static void startHetzner() {
        hetzner = new WireMockServer(options().dynamicPort());
        hetzner.start();
    }

    @AfterAll
    static void stopHetzner() {
        hetzner.stop();
    }

    @BeforeEach
    void reset() {
        hetzner.resetAll();
        HetznerSettings settings = new HetznerSettings(URI.create(hetzner.baseUrl()), "docker-ce",
            List.of("fsn1", "nbg1"), Duration.ofSeconds(1), Duration.ofSeconds(30), 2, Duration.ofMillis(10),
            Duration.ofSeconds(1), Duration.ofSeconds(5));
        FakeTime time = new FakeTime();
        nodes = new HetznerNodes(new HetznerClient(settings, TOKEN, HttpClient.newHttpClient(), time, time),
            URI.create("https://handoff.example.com"), URI.create("wss://handoff.example.com/nodes/connect"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void createsTheNodesServerWithCloudInitCarryingOnlyTheBootstrapToken() throws Exception {
        hetzner.stubFor(post("/v1/servers").willReturn(okJson(HetznerShapes.createdServer(42, "fsn1", 1001))
            .withStatus(201)));
        hetzner.stubFor(get("/v1/actions/1001").willReturn(okJson(HetznerShapes.actionAnswer(1001, "create_server",
            "success", 100))));

        long serverId = nodes.create("node-1a2b", "large", BOOTSTRAP);

        assertThat(serverId).isEqualTo(42);
        var body = JSON.readTree(hetzner.findAll(postRequestedFor(urlEqualTo("/v1/servers"))).get(0).getBodyAsString());
        assertThat(body.get("server_type").asText()).isEqualTo("cx43");
        assertThat(body.get("labels").get("handoff-node").asText()).isEqualTo("node-1a2b");
        String userData = body.get("user_data").asText();
        Map<String, Object> cloudConfig = new Yaml().load(userData);
        assertThat(cloudConfig).containsKey("write_files");
        assertThat(userData).contains(BOOTSTRAP).contains("https://handoff.example.com")
            .contains("wss://handoff.example.com/nodes/connect").doesNotContain(TOKEN);
    }

    @Test
    void deletesTheNodesServerAndWaitsForTheDelete() {
        hetzner.stubFor(delete("/v1/servers/42").willReturn(okJson(HetznerShapes.actionAnswer(2001, "delete_server",
            "running", 0))));
        hetzner.stubFor(get("/v1/actions/2001").willReturn(okJson(HetznerShapes.actionAnswer(2001, "delete_server",
            "success", 100))));

        nodes.delete("node-42", 42L);

        hetzner.verify(1, deleteRequestedFor(urlEqualTo("/v1/servers/42")));
    }

    @Test
    void aNodeWithoutAServerIdIsFoundByItsLabel() {
        hetzner.stubFor(get(urlPathEqualTo("/v1/servers")).willReturn(okJson(HetznerShapes.page(
            List.of(HetznerShapes.server(77, "running", "nbg1")), 1, null))));
        hetzner.stubFor(delete("/v1/servers/77").willReturn(okJson(HetznerShapes.actionAnswer(2002, "delete_server",
            "success", 100))));
        hetzner.stubFor(get("/v1/actions/2002").willReturn(okJson(HetznerShapes.actionAnswer(2002, "delete_server",
            "success", 100))));

        nodes.delete("node-77", null);

        assertThat(hetzner.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
            urlPathEqualTo("/v1/servers"))).get(0).queryParameter("label_selector").firstValue())
            .isEqualTo("managed-by=handoff,handoff-node=node-77");
        hetzner.verify(1, deleteRequestedFor(urlEqualTo("/v1/servers/77")));
    }

    @Test
    void theReconcileDeletesOnlyServersTheDatabaseDoesNotKnow() {
        hetzner.stubFor(get(urlPathEqualTo("/v1/servers")).willReturn(okJson(HetznerShapes.page(List.of(
            HetznerShapes.server(1, "running", "fsn1"), HetznerShapes.server(2, "running", "fsn1"),
            HetznerShapes.server(3, "off", "nbg1")), 1, null))));
        hetzner.stubFor(delete(urlPathEqualTo("/v1/servers/2")).willReturn(okJson(HetznerShapes.actionAnswer(3002,
            "delete_server", "success", 100))));
        hetzner.stubFor(delete(urlPathEqualTo("/v1/servers/3")).willReturn(okJson(HetznerShapes.actionAnswer(3003,
            "delete_server", "success", 100))));
        hetzner.stubFor(get(urlPathEqualTo("/v1/actions/3002")).willReturn(okJson(HetznerShapes.actionAnswer(3002,
            "delete_server", "success", 100))));
        hetzner.stubFor(get(urlPathEqualTo("/v1/actions/3003")).willReturn(okJson(HetznerShapes.actionAnswer(3003,
            "delete_server", "success", 100))));

        List<HetznerServer> deleted = nodes.deleteOrphans(Set.of("node-1")::contains);

        assertThat(deleted).extracting(HetznerServer::id).containsExactly(2L, 3L);
        assertThat(hetzner.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
            urlPathEqualTo("/v1/servers"))).get(0).queryParameter("label_selector").firstValue())
            .isEqualTo("managed-by=handoff");
        hetzner.verify(0, deleteRequestedFor(urlEqualTo("/v1/servers/1")));
    }
}
