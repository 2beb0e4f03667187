package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.HandoffStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Secrets stay secret: a canary API key stored through the settings API reaches the agent (the model sees it as
 * the x-api-key header) and nothing else: not one Kafka record on any topic, not one file the stack wrote (service
 * and node logs, agent homes, Kafka's and PostgreSQL's data files), not a pg_dump of any service's database. The API
 * never returns it.
 */
@ExtendWith(SharedStack.class)
class SecretsCanaryEndToEndTest {

    private final HandoffStack stack = SharedStack.get().stack();
    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void aCanaryKeyIsUsedByTheAgentAndFoundNowhereElse() throws Exception {
        String canary = "sk-ant-canary-" + UUID.randomUUID();
        assertThat(api.putSecret("anthropic_api_key", canary).status()).isEqualTo(204);
        try {
            JsonNode listed = api.secrets();
            assertThat(listed.toString()).contains("anthropic_api_key").doesNotContain(canary);
            assertThat(listed.path("secrets").get(0).path("setAt").asText()).isNotEmpty();
            assertThat(api.putSecret("Bad-Name", "x").body().path("field").asText()).isEqualTo("name");
            assertThat(api.putSecret("github_token", " ").body().path("field").asText()).isEqualTo("value");

            String projectId = api.createProject("canary", repositoryUrl);
            String taskId = api.submitTask(projectId, "Say hello " + UUID.randomUUID()).path("taskId").asText();
            await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String status = api.task(taskId).path("status").asText();
                    assertThat(status).as(() -> api.task(taskId).toString()).isNotEqualTo("failed");
                    return status.equals("turn_ended") && !api.task(taskId).path("publishResult").isNull();
                });

            FakeAnthropicServer model = stack.model().orElseThrow();
            assertThat(model.sawApiKey(canary)).as("the agent called the model with the stored key").isTrue();

            List<String> foundIn = new ArrayList<>();
            foundIn.addAll(kafkaRecordsContaining(canary));
            foundIn.addAll(filesContaining(stack.nodesDir().getParent(), canary));
            foundIn.addAll(databaseDumpsContaining(canary));
            assertThat(foundIn).as("places holding the canary in plaintext").isEmpty();
        } finally {
            assertThat(api.deleteSecret("anthropic_api_key").status()).isEqualTo(204);
        }
        assertThat(api.secrets().toString()).doesNotContain("anthropic_api_key");
    }

    /** Every record of every topic (internal ones too): key, value and headers. */
    private List<String> kafkaRecordsContaining(String secret) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG, "false");
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(Duration.ofSeconds(10)).entrySet()) {
                topic.getValue().forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            assertThat(partitions).extracting(TopicPartition::topic).contains("handoff.node-commands",
                "handoff.node-reports", "handoff.task-events");
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long records = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())
                && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    StringBuilder text = new StringBuilder().append(text(record.key())).append(text(record.value()));
                    for (Header header : record.headers()) {
                        text.append(header.key()).append(text(header.value()));
                    }
                    if (text.indexOf(secret) >= 0) {
                        found.add("kafka " + record.topic() + "-" + record.partition() + "@" + record.offset());
                    }
                }
            }
            assertThat(records).as("records read").isPositive();
        }
        return found;
    }

    /** Every regular file under the stack's directory: logs, node work directories, Kafka and PostgreSQL data. */
    private static List<String> filesContaining(Path root, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (IOException vanished) {
                    continue;
                }
                if (indexOf(content, needle) >= 0) {
                    found.add("file " + root.relativize(file));
                }
            }
        }
        return found;
    }

    /** pg_dump of each service's database, in plain SQL. */
    private List<String> databaseDumpsContaining(String secret) throws Exception {
        List<String> found = new ArrayList<>();
        Path pgDump = pgDump();
        for (String database : HandoffStack.SERVICES.values()) {
            var builder = new ProcessBuilder(pgDump.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(stack.postgres().port()), "-U", stack.postgres().user(), "--no-owner", database)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("PGPASSWORD", stack.postgres().password());
            Process dump = builder.start();
            String sql = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(dump.exitValue()).as("pg_dump " + database).isZero();
            assertThat(sql).as("dump of " + database).contains("CREATE TABLE");
            if (database.equals("chat")) {
                assertThat(sql).as("the secret's row is in the dump, encrypted").contains("user_secret");
            }
            if (sql.contains(secret)) {
                found.add("database " + database);
            }
        }
        return found;
    }

    private Path pgDump() throws IOException {
        Path beside = stack.postgres().binDir().resolve("pg_dump");
        if (Files.isExecutable(beside)) {
            return beside;
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pg_dump")).filter(Files::isExecutable)
                .max(Path::compareTo).orElseThrow(() -> new IllegalStateException("no pg_dump on this machine"));
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
