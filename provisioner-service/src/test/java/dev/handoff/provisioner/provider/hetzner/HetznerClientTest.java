package dev.handoff.provisioner.provider.hetzner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Hetzner client against a fake Hetzner API (WireMock) answering with Hetzner's JSON shapes. */
class HetznerClientTest {

    private static final String TOKEN = "canary-hetzner-token-7f3a";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer hetzner;

    private FakeTime time;
    private HetznerClient client;

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
    void resetHetzner() {
        hetzner.resetAll();
        time = new FakeTime();
        client = clientWith(List.of("fsn1", "nbg1", "hel1", "ash", "hil"));
    }

    private HetznerClient clientWith(List<String> locations) {
        HetznerSettings settings = new HetznerSettings(URI.create(hetzner.baseUrl()), "docker-ce", locations,
            Duration.ofSeconds(1), Duration.ofSeconds(30), 3, Duration.ofMillis(500), Duration.ofSeconds(60),
            Duration.ofSeconds(5));
        return new HetznerClient(settings, TOKEN, HttpClient.newHttpClient(), time, time);
    }

    @Test
    void createsAServerAndWaitsForItsActionToSucceed() throws Exception {
        hetzner.stubFor(post("/v1/servers").willReturn(okJson(createdServer(42, "fsn1", 1001)).withStatus(201)));
        hetzner.stubFor(get("/v1/actions/1001").inScenario("build").whenScenarioStateIs(STARTED)
            .willReturn(okJson(actionAnswer(1001, "create_server", "running", 0))).willSetStateTo("half"));
        hetzner.stubFor(get("/v1/actions/1001").inScenario("build").whenScenarioStateIs("half")
            .willReturn(okJson(actionAnswer(1001, "create_server", "running", 50))).willSetStateTo("done"));
        hetzner.stubFor(get("/v1/actions/1001").inScenario("build").whenScenarioStateIs("done")
            .willReturn(okJson(actionAnswer(1001, "create_server", "success", 100))));

        CreatedServer created = client.createServer(new ServerSpec("node-1a2b", ServerSize.MEDIUM, "#cloud-config\n"));
        HetznerAction done = client.awaitAction(created.action().orElseThrow().id());

        assertThat(created.server().id()).isEqualTo(42);
        assertThat(created.server().status()).isEqualTo("initializing");
        assertThat(created.server().publicIpv4()).contains("203.0.113.42");
        assertThat(created.server().nodeId()).contains("node-42");
        assertThat(created.location()).isEqualTo("fsn1");
        assertThat(done.succeeded()).isTrue();
        assertThat(time.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));

        LoggedRequest request = hetzner.findAll(postRequestedFor(urlEqualTo("/v1/servers"))).get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        JsonNode body = JSON.readTree(request.getBodyAsString());
        assertThat(body.get("name").asText()).isEqualTo("handoff-node-1a2b");
        assertThat(body.get("server_type").asText()).isEqualTo("cx33");
        assertThat(body.get("image").asText()).isEqualTo("docker-ce");
        assertThat(body.get("location").asText()).isEqualTo("fsn1");
        assertThat(body.get("user_data").asText()).isEqualTo("#cloud-config\n");
        assertThat(body.get("start_after_create").asBoolean()).isTrue();
        assertThat(body.get("labels").get("managed-by").asText()).isEqualTo("handoff");
        assertThat(body.get("labels").get("handoff-node").asText()).isEqualTo("node-1a2b");
    }

    @Test
    void theUserDataSentToHetznerHoldsNoCloudTokenOnlyTheOneTimeBootstrapToken() throws Exception {
        hetzner.stubFor(post("/v1/servers").willReturn(okJson(createdServer(43, "fsn1", 1002)).withStatus(201)));
        String userData = new CloudInitRenderer().render(CloudInitRendererTest.node("node-5c6d"));

        client.createServer(new ServerSpec("node-5c6d", ServerSize.SMALL, userData));

        LoggedRequest request = hetzner.findAll(postRequestedFor(urlEqualTo("/v1/servers"))).get(0);
        String sent = JSON.readTree(request.getBodyAsString()).get("user_data").asText();
        assertThat(sent).isEqualTo(userData).startsWith("#cloud-config\n")
            .contains(CloudInitRendererTest.BOOTSTRAP_TOKEN).doesNotContain(TOKEN);
        assertThat(request.getBodyAsString()).doesNotContain(TOKEN);
    }

    @Test
    void aPlacementErrorMovesTheCreateToTheNextLocation() throws Exception {
        hetzner.stubFor(post("/v1/servers").inScenario("place").whenScenarioStateIs(STARTED)
            .willReturn(error(412, "resource_unavailable", "server type cx23 is unavailable in this location"))
            .willSetStateTo("second"));
        hetzner.stubFor(post("/v1/servers").inScenario("place").whenScenarioStateIs("second")
            .willReturn(okJson(createdServer(7, "nbg1", 2001)).withStatus(201)));

        CreatedServer created = client.createServer(new ServerSpec("node-2", ServerSize.SMALL, "#cloud-config\n"));

        assertThat(created.location()).isEqualTo("nbg1");
        assertThat(createLocations()).containsExactly("fsn1", "nbg1");
        assertThat(time.waits).as("a placement failure is not a retry of the same request").isEmpty();
    }

    @Test
    void whenNoLocationCanPlaceTheServerTheErrorListsEveryLocationTried() throws Exception {
        hetzner.stubFor(post("/v1/servers")
            .willReturn(error(422, "placement_error", "An error during the placement occurred")));

        HetznerClient twoLocations = clientWith(List.of("fsn1", "hel1"));
        assertThatThrownBy(() -> twoLocations.createServer(new ServerSpec("node-3", ServerSize.LARGE, "x")))
            .isInstanceOf(HetznerNoCapacityException.class)
            .hasMessageContaining("cx43")
            .hasMessageContaining("tried fsn1, hel1")
            .hasMessageContaining("placement_error");
        assertThat(createLocations()).containsExactly("fsn1", "hel1");
    }

    @Test
    void aCreateRetriedAfterALostAnswerFindsTheServerTheFirstAttemptMade() {
        hetzner.stubFor(post("/v1/servers").inScenario("lost").whenScenarioStateIs(STARTED)
            .willReturn(error(503, "service_error", "try again")).willSetStateTo("made"));
        hetzner.stubFor(post("/v1/servers").inScenario("lost").whenScenarioStateIs("made")
            .willReturn(error(409, "uniqueness_error", "server name is already used")));
        hetzner.stubFor(get(urlEqualTo("/v1/servers?label_selector=managed-by%3Dhandoff%2Chandoff-node%3Dnode-44"
            + "&page=1&per_page=50")).willReturn(okJson(page(List.of(server(44, "starting", "fsn1")), 1, null))));
        hetzner.stubFor(get("/v1/servers/44").inScenario("boot").whenScenarioStateIs(STARTED)
            .willReturn(okJson("{\"server\":" + server(44, "starting", "fsn1") + "}")).willSetStateTo("up"));
        hetzner.stubFor(get("/v1/servers/44").inScenario("boot").whenScenarioStateIs("up")
            .willReturn(okJson("{\"server\":" + server(44, "running", "fsn1") + "}")));

        CreatedServer created = client.createServer(new ServerSpec("node-44", ServerSize.SMALL, "x"));
        HetznerServer running = client.awaitRunning(created.server().id());

        assertThat(created.server().id()).isEqualTo(44);
        assertThat(created.action()).isEmpty();
        assertThat(created.location()).isEqualTo("fsn1");
        assertThat(running.status()).isEqualTo("running");
        hetzner.verify(2, postRequestedFor(urlEqualTo("/v1/servers")));
    }

    @Test
    void aRefusedTokenFailsAtOnceWithoutRetrying() {
        hetzner.stubFor(post("/v1/servers").willReturn(error(401, "unauthorized", "unable to authenticate")));

        assertThatThrownBy(() -> client.createServer(new ServerSpec("node-4", ServerSize.SMALL, "x")))
            .isInstanceOf(HetznerTokenRefusedException.class)
            .hasMessage("the Hetzner API token was refused; check it in your settings")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(hetzner.getAllServeEvents()).hasSize(1);
        assertThat(time.waits).isEmpty();
    }

    @Test
    void aRateLimitIsWaitedOutForAsLongAsHetznerAsksThenRetried() {
        hetzner.stubFor(get("/v1/servers/9").inScenario("limit").whenScenarioStateIs(STARTED)
            .willReturn(error(429, "rate_limit_exceeded", "limit of 3600 requests per hour reached")
                .withHeader("RateLimit-Limit", "3600").withHeader("RateLimit-Remaining", "0")
                .withHeader("RateLimit-Reset", String.valueOf(time.instant().getEpochSecond() + 7)))
            .willSetStateTo("ok"));
        hetzner.stubFor(get("/v1/servers/9").inScenario("limit").whenScenarioStateIs("ok")
            .willReturn(okJson("{\"server\":" + server(9, "running", "fsn1") + "}")));

        HetznerServer server = client.getServer(9);

        assertThat(server.status()).isEqualTo("running");
        assertThat(time.waits).containsExactly(Duration.ofSeconds(7));
        hetzner.verify(2, getRequestedFor(urlEqualTo("/v1/servers/9")));
    }

    @Test
    void aRateLimitThatDoesNotLiftGivesUpAfterTheRetriesWithBoundedWaits() {
        hetzner.stubFor(get("/v1/servers/9").willReturn(error(429, "rate_limit_exceeded", "slow down")
            .withHeader("Retry-After", "3600")));

        assertThatThrownBy(() -> client.getServer(9))
            .isInstanceOf(HetznerApiException.class)
            .hasMessageContaining("429 rate_limit_exceeded");
        hetzner.verify(4, getRequestedFor(urlEqualTo("/v1/servers/9")));
        assertThat(time.waits).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60),
            Duration.ofSeconds(60));
    }

    @Test
    void aServerErrorIsRetriedWithBackoff() {
        hetzner.stubFor(get("/v1/servers/9").inScenario("5xx").whenScenarioStateIs(STARTED)
            .willReturn(error(503, "service_error", "try again")).willSetStateTo("again"));
        hetzner.stubFor(get("/v1/servers/9").inScenario("5xx").whenScenarioStateIs("again")
            .willReturn(aResponse().withStatus(502).withBody("<html>bad gateway</html>")).willSetStateTo("ok"));
        hetzner.stubFor(get("/v1/servers/9").inScenario("5xx").whenScenarioStateIs("ok")
            .willReturn(okJson("{\"server\":" + server(9, "running", "fsn1") + "}")));

        assertThat(client.getServer(9).id()).isEqualTo(9);
        assertThat(time.waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void aClientErrorIsNotRetried() {
        hetzner.stubFor(get("/v1/servers/9").willReturn(error(404, "not_found", "server with ID '9' not found")));

        assertThatThrownBy(() -> client.getServer(9))
            .isInstanceOf(HetznerApiException.class)
            .hasMessageContaining("404 not_found")
            .extracting(e -> ((HetznerApiException) e).code()).isEqualTo("not_found");
        hetzner.verify(1, getRequestedFor(urlEqualTo("/v1/servers/9")));
    }

    @Test
    void listsServersByLabelAcrossPages() {
        String selector = "managed-by%3Dhandoff";
        hetzner.stubFor(get(urlEqualTo("/v1/servers?label_selector=" + selector + "&page=1&per_page=50"))
            .willReturn(okJson(page(List.of(server(1, "running", "fsn1"), server(2, "off", "nbg1")), 1, 2))));
        hetzner.stubFor(get(urlEqualTo("/v1/servers?label_selector=" + selector + "&page=2&per_page=50"))
            .willReturn(okJson(page(List.of(server(3, "running", "hel1")), 2, null))));

        List<HetznerServer> servers = client.listServers(HandoffLabels.MANAGED);

        assertThat(servers).extracting(HetznerServer::id).containsExactly(1L, 2L, 3L);
        assertThat(servers).extracting(s -> s.location().orElseThrow()).containsExactly("fsn1", "nbg1", "hel1");
        hetzner.verify(2, getRequestedFor(urlPathEqualTo("/v1/servers")));
    }

    @Test
    void deletesAServerAndWaitsForTheDelete() {
        hetzner.stubFor(delete("/v1/servers/42").willReturn(okJson("{\"action\":"
            + action(3001, "delete_server", "running", 0) + "}")));
        hetzner.stubFor(get("/v1/actions/3001").inScenario("delete").whenScenarioStateIs(STARTED)
            .willReturn(okJson(actionAnswer(3001, "delete_server", "running", 0))).willSetStateTo("done"));
        hetzner.stubFor(get("/v1/actions/3001").inScenario("delete").whenScenarioStateIs("done")
            .willReturn(okJson(actionAnswer(3001, "delete_server", "success", 100))));

        HetznerAction deleting = client.deleteServer(42).orElseThrow();
        HetznerAction deleted = client.awaitAction(deleting.id());

        assertThat(deleting.command()).isEqualTo("delete_server");
        assertThat(deleted.succeeded()).isTrue();
        hetzner.verify(1, deleteRequestedFor(urlEqualTo("/v1/servers/42")));
    }

    @Test
    void deletingAServerThatIsAlreadyGoneIsDone() {
        hetzner.stubFor(delete("/v1/servers/43").willReturn(error(404, "not_found", "server with ID '43' not found")));

        assertThat(client.deleteServer(43)).isEmpty();
        hetzner.verify(1, deleteRequestedFor(urlEqualTo("/v1/servers/43")));
    }

    @Test
    void aFailedActionThrowsWithHetznersReason() {
        hetzner.stubFor(get("/v1/actions/5").willReturn(okJson("{\"action\":{\"id\":5,\"command\":\"create_server\","
            + "\"status\":\"error\",\"progress\":100,\"started\":\"2026-11-24T06:00:00+00:00\","
            + "\"finished\":\"2026-11-24T06:00:09+00:00\",\"resources\":[],"
            + "\"error\":{\"code\":\"action_failed\",\"message\":\"Action failed\"}}}")));

        assertThatThrownBy(() -> client.awaitAction(5))
            .isInstanceOf(HetznerActionException.class)
            .hasMessageContaining("action_failed Action failed");
    }

    @Test
    void anActionThatNeverEndsTimesOut() {
        hetzner.stubFor(get("/v1/actions/6").willReturn(okJson(actionAnswer(6, "create_server", "running", 10))));

        assertThatThrownBy(() -> client.awaitAction(6))
            .isInstanceOf(HetznerActionException.class)
            .hasMessageContaining("still running after 30 s");
        assertThat(time.waits).hasSizeLessThanOrEqualTo(30);
    }

    private List<String> createLocations() throws Exception {
        List<String> locations = new java.util.ArrayList<>();
        for (LoggedRequest request : hetzner.findAll(postRequestedFor(urlEqualTo("/v1/servers")))) {
            locations.add(JSON.readTree(request.getBodyAsString()).get("location").asText());
        }
        return locations;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String code,
                                                                                        String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}}}");
    }

    private static String createdServer(long id, String location, long actionId) {
        return "{\"server\":" + server(id, "initializing", location) + ","
            + "\"action\":" + action(actionId, "create_server", "running", 0) + ","
            + "\"next_actions\":[" + action(actionId + 1, "start_server", "running", 0) + "],"
            + "\"root_password\":null}";
    }

    private static String action(long id, String command, String status, int progress) {
        String finished = "running".equals(status) ? "null" : "\"2026-11-24T06:01:00+00:00\"";
        return "{\"id\":" + id + ",\"command\":\"" + command + "\",\"status\":\"" + status + "\","
            + "\"progress\":" + progress + ",\"started\":\"2026-11-24T06:00:00+00:00\",\"finished\":" + finished + ","
            + "\"resources\":[{\"id\":42,\"type\":\"server\"}],\"error\":null}";
    }

    private static String actionAnswer(long id, String command, String status, int progress) {
        return "{\"action\":" + action(id, command, status, progress) + "}";
    }

    private static String server(long id, String status, String location) {
        return "{\"id\":" + id + ",\"name\":\"handoff-node-" + id + "\",\"status\":\"" + status + "\","
            + "\"created\":\"2026-11-24T06:00:00+00:00\","
            + "\"public_net\":{\"ipv4\":{\"id\":" + (100 + id) + ",\"ip\":\"203.0.113." + id + "\","
            + "\"blocked\":false,\"dns_ptr\":\"static.example.com\"},\"ipv6\":null,\"floating_ips\":[],"
            + "\"firewalls\":[]},"
            + "\"server_type\":{\"id\":1,\"name\":\"cx23\",\"cores\":2,\"memory\":4.0,\"disk\":40},"
            + "\"datacenter\":{\"id\":1,\"name\":\"" + location + "-dc1\",\"location\":{\"id\":1,\"name\":\""
            + location + "\",\"country\":\"DE\"}},"
            + "\"image\":{\"id\":4711,\"type\":\"app\",\"name\":\"docker-ce\"},"
            + "\"labels\":{\"managed-by\":\"handoff\",\"handoff-node\":\"node-" + id + "\"},"
            + "\"protection\":{\"delete\":false,\"rebuild\":false}}";
    }

    private static String page(List<String> servers, int page, Integer nextPage) {
        return "{\"servers\":[" + String.join(",", servers) + "],\"meta\":{\"pagination\":{\"page\":" + page
            + ",\"per_page\":50,\"previous_page\":" + (page > 1 ? page - 1 : "null") + ",\"next_page\":" + nextPage
            + ",\"last_page\":2,\"total_entries\":3}}}";
    }
}
