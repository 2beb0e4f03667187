package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The provisioner dies (halts as if SIGKILLed, at a test-only crash point) right after committing a new node and
 * before launching it. Started again, it finds the node committed but never launched and launches it, once: the
 * task still ends its turn with exactly one node started and one agent process. On the {@link BreakableStack}.
 */
@ExtendWith(BreakableStack.class)
class ProvisionerCrashEndToEndTest {

    private static HandoffStack stack;
    private static HandoffApi api;
    private static String projectId;

    @BeforeAll
    static void signUp() {
        stack = BreakableStack.get().stack();
        api = new HandoffApi(stack.chatUrl());
        projectId = api.createProject("provisioner-crash", BreakableStack.get().repositoryUrl());
    }

    @Test
    void provisionerKilledBetweenCommittingANodeAndLaunchingItLaunchesItAfterRestart() throws IOException {
        // The crash point halts the provisioner right after the node (and its NodeRegistered) committed, before the
        // launch; a halt disarms it, so the restarted provisioner runs unarmed.
        ManagedProcess provisioner = stack.service("provisioner-service");
        Set<Path> nodesBefore = Set.copyOf(list(stack.nodesDir()));
        stack.armCrashPoint("provisioner-service", "committed:NodeRegistered");
        String text = "Provisioner crash after the node commit " + UUID.randomUUID();
        JsonNode accepted = api.submitTask(projectId, text);
        String taskId = accepted.path("taskId").asText();

        await("the provisioner halted at the crash point").atMost(Duration.ofMinutes(1))
            .until(() -> !provisioner.isAlive());
        assertThat(Files.readString(stack.logFile("provisioner-service")))
            .contains("handoff crash point reached: committed:NodeRegistered");
        assertThat(newNodes(nodesBefore)).as("no node launched before the crash").isEmpty();

        provisioner.restart();
        provisioner.waitForHttp(stack.serviceUrl("provisioner-service") + "/q/health/ready", Duration.ofMinutes(2));

        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(() -> {
                String status = api.task(taskId).path("status").asText();
                assertThat(status).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
                return status.equals("turn_ended");
            });

        // Exactly one node: one vm-agent folder, one node in the API, registered twice (the lost token replaced).
        assertThat(newNodes(nodesBefore)).hasSize(1);
        Path node = newNodes(nodesBefore).get(0);
        assertThat(api.nodes()).hasSize(1);
        assertThat(api.task(taskId).path("node").path("nodeId").asText()).isEqualTo(node.getFileName().toString());
        Map<UUID, Envelope> events = new LinkedHashMap<>();
        KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.PROVISIONER_EVENTS, Topics.NODE_REPORTS)
            .stream().filter(r -> taskId.equals(r.event().taskId()))
            .forEach(r -> events.putIfAbsent(r.event().eventId(), r.event()));
        List<Envelope> registrations = events.values().stream().filter(e -> e.payload() instanceof NodeRegistered)
            .toList();
        assertThat(registrations).extracting(Envelope::nodeId).containsOnly(node.getFileName().toString());
        assertThat(registrations).as("registered before the crash, and again with the new token").hasSize(2);

        // One agent process, one agent session, and the reply in the chat once.
        Path stderrLog = node.resolve("agent-homes").resolve("ws-" + taskId).resolve("agent-stderr.log");
        assertThat(count(stderrLog, "--- handoff vm-agent: starting agent ")).as("agent starts").isEqualTo(1);
        assertThat(events.values().stream().filter(e -> e.payload() instanceof AgentStarted)).hasSize(1);
        String reply = new ScriptedReplies().defaultReply(text);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String chat = String.join("\n", api.messages(accepted.path("sessionId").asText()).stream()
                .map(m -> m.path("content").asText()).toList());
            assertThat(chat.split(java.util.regex.Pattern.quote(reply), -1)).as("the reply once in: " + chat)
                .hasSize(2);
        });
    }

    private static List<Path> newNodes(Set<Path> before) {
        return list(stack.nodesDir()).stream().filter(dir -> !before.contains(dir)).toList();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Path file, String marker) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(marker)).count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
