package dev.handoff.provisioner.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.KafkaHeaders;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.NodeFailed;
import dev.handoff.contracts.events.NodeReady;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.contracts.events.NodeRequested;
import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import dev.handoff.provisioner.service.NodeProvisioningService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local nodes run the agent as the provisioner's OS user on the control-plane host, so by default (issue 11 item 5)
 * the local provider starts them only for operators: a NodeRequested of a user who is not one is answered with a
 * permanent NodeFailed naming the cause (and no node is made), and only an operator's node gets the installation's
 * model key (ANTHROPIC_API_KEY, set for this JVM by the module's surefire configuration). The nodes are "started"
 * with a stand-in for java that writes the environment it got (ComponentProfiles.FAKE_JAVA). The path through every
 * process: e2e-tests TeamsEndToEndTest.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class LocalNodesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL provisioner;

    @Test
    void aUserWhoIsNotAnOperatorGetsNoLocalNodeAndIsToldWhy() throws Exception {
        String owner = "user-" + UUID.randomUUID();
        String taskId = UUID.randomUUID().toString();

        RealInfrastructureResource.kafka().publish(Envelope.first(
            new NodeRequested("claude-code", "small", owner, List.of(), null), taskId));

        Envelope answer = awaitAnswer(taskId);
        assertThat(answer.payload()).isEqualTo(new NodeFailed(NodeProvisioningService.LOCAL_NODES_REFUSED, false,
            NodeProvisioningService.LOCAL_NODES_OPERATORS_ONLY));
        assertThat(((NodeFailed) answer.payload()).reason()).contains("only operators");
        assertThat(nodes(owner)).isEmpty();
        assertThat(provisionerEvents()).filteredOn(e -> taskId.equals(e.taskId()))
            .noneMatch(e -> e.payload() instanceof NodeRegistered);
    }

    @Test
    void anOperatorGetsALocalNodeWithTheInstallationsModelKey() throws Exception {
        String owner = "operator-" + UUID.randomUUID();
        String taskId = UUID.randomUUID().toString();

        RealInfrastructureResource.kafka().publish(Envelope.first(
            new NodeRequested("claude-code", "small", owner, List.of(), true), taskId));

        Envelope registered = await("the operator's node registered").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200)).until(() -> provisionerEvents().stream()
                .filter(e -> taskId.equals(e.taskId()) && e.payload() instanceof NodeRegistered)
                .findFirst().orElse(null), e -> e != null);
        Path env = ComponentProfiles.NODES_DIR.resolve(registered.nodeId()).resolve("env");
        await("the node's process started").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> Files.isRegularFile(env) && Files.readString(env).contains("HANDOFF_NODE_ID="));
        assertThat(Files.readAllLines(env)).contains("ANTHROPIC_API_KEY=component-test-installation-key");
    }

    /** The provisioner's answer to the task's NodeRequested: its first NodeReady or NodeFailed. */
    private static Envelope awaitAnswer(String taskId) {
        return await("the provisioner's answer for task " + taskId).atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200)).until(() -> provisionerEvents().stream()
                .filter(e -> taskId.equals(e.taskId()))
                .filter(e -> e.payload() instanceof NodeReady || e.payload() instanceof NodeFailed)
                .findFirst().orElse(null), answer -> answer != null);
    }

    /** Everything on the provisioner's events topic so far. */
    private static List<Envelope> provisionerEvents() {
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructureResource.kafka().bootstrapServers(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Envelope> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROVISIONER_EVENTS, Duration.ofSeconds(10))
                .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Header trace = record.headers().lastHeader(KafkaHeaders.TRACEPARENT);
                    events.add(EventCodec.decode(record.value(),
                        trace == null ? null : new String(trace.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return events;
    }

    private List<JsonNode> nodes(String owner) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(provisioner.toString().replaceAll("/$", "")
                + "/api/provisioner/nodes?ownerId=" + owner))
            .header("Authorization", "Bearer " + ComponentProfiles.INTERNAL_TOKEN)
            .header("Accept", "application/json").GET().timeout(Duration.ofSeconds(15)).build();
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<JsonNode> nodes = new ArrayList<>();
        JSON.readTree(answer.body()).forEach(nodes::add);
        return nodes;
    }
}
