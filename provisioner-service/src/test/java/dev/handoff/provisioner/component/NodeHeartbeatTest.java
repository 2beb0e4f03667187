package dev.handoff.provisioner.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventType;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.NodeConnected;
import dev.handoff.contracts.events.NodeHeartbeat;
import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node's heartbeats as the gateway reports them, on the real Kafka and PostgreSQL: the provisioner keeps the
 * latest by when it happened. A node's first heartbeat follows its hello within moments, and the provisioner may
 * learn of the connection later than that (its events wait on Kafka): the heartbeat must still count.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class NodeHeartbeatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL provisioner;

    @Test
    void aHeartbeatRightAfterTheConnectionCountsAlsoWhenTheConnectionIsAppliedLater() throws Exception {
        String owner = "owner-" + UUID.randomUUID();
        String nodeId = attach(owner);
        Instant hello = Instant.now().minusSeconds(3);

        publish(new NodeConnected("users-laptop", "test"), nodeId, hello);
        await("node connected").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> node(nodeId, owner).path("status").asText().equals("connected"));
        publish(new NodeHeartbeat(0.5, 4, 8_000_000_000L, 6_000_000_000L, 123_456_789L), nodeId,
            hello.plusMillis(500));

        await("the first heartbeat stored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> node(nodeId, owner).path("diskFreeBytes").asLong() == 123_456_789L);
        JsonNode node = node(nodeId, owner);
        assertThat(node.path("health").asText()).isEqualTo("healthy");

        // An older heartbeat, redelivered or reordered, changes nothing.
        publish(new NodeHeartbeat(0.1, 4, 8_000_000_000L, 7_000_000_000L, 1L), nodeId, hello.plusMillis(100));
        publish(new NodeHeartbeat(0.7, 4, 8_000_000_000L, 5_000_000_000L, 222_222_222L), nodeId,
            hello.plusMillis(900));
        await("the newest heartbeat stored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> node(nodeId, owner).path("diskFreeBytes").asLong() == 222_222_222L);
    }

    private static void publish(EventPayload payload, String nodeId, Instant occurredAt) {
        EventType type = EventType.of(payload);
        RealInfrastructureResource.kafka().publish(new Envelope(UUID.randomUUID(), type.logicalName(),
            type.schemaVersion(), null, nodeId, null, occurredAt, payload, null));
    }

    private String attach(String owner) throws Exception {
        HttpResponse<String> answer = call("POST", "/api/provisioner/nodes/attach?ownerId=" + owner);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return JSON.readTree(answer.body()).path("nodeId").asText();
    }

    private JsonNode node(String nodeId, String owner) throws Exception {
        HttpResponse<String> answer = call("GET", "/api/provisioner/nodes/" + nodeId + "?ownerId=" + owner);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(provisioner.toString().replaceAll("/$", "") + path))
            .header("Authorization", "Bearer " + ComponentProfiles.INTERNAL_TOKEN)
            .header("Accept", "application/json")
            .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(15)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
