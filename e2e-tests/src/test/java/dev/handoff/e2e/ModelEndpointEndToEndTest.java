package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user behind a model gateway sets their agent's model endpoint in their settings
 * ({@code PUT /api/settings/model-endpoints/claude-code}); the task's Claude Code then talks to that endpoint (a
 * second fake Anthropic API, the user's "gateway"), not to the one the node's agents file names, and the answer in
 * the chat is the gateway's. An endpoint nobody answers at does not leave the chat silent while the agent retries:
 * within seconds a system line says that it is retrying the model and why, updated at each attempt.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelEndpointEndToEndTest {

    private final HandoffStack stack = SharedStack.get().stack();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();
    private final String marker = "model-endpoint-" + UUID.randomUUID();
    private final String gatewayAnswer = "Answered by the user's own gateway " + UUID.randomUUID();
    private FakeAnthropicServer gateway;

    @BeforeAll
    void startTheUsersGateway() {
        gateway = FakeAnthropicServer.start(request -> request.sideRequest() ? Reply.text("{\"title\": \"Gateway\"}")
            : Reply.text(gatewayAnswer));
    }

    @AfterAll
    void stopTheUsersGateway() {
        gateway.close();
    }

    @Test
    void theUsersModelEndpointAnswersTheTask() {
        HandoffApi user = new HandoffApi(stack.chatUrl());
        assertThat(user.put("/api/settings/model-endpoints/claude-code",
            "{\"url\": \"" + gateway.url() + "\"}").status()).isEqualTo(204);
        String projectId = user.createProject("behind-a-gateway", repositoryUrl);

        JsonNode accepted = user.submitTask(projectId, "Which model answers me? " + marker);
        String taskId = accepted.path("taskId").asText();

        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
                JsonNode task = user.task(taskId);
                assertThat(task.path("status").asText()).as(() -> "task failed: " + task).isNotEqualTo("failed");
                return task.path("status").asText().equals("turn_ended");
            });
        assertThat(user.messages(accepted.path("sessionId").asText()))
            .filteredOn(m -> m.path("role").asText().equals("assistant"))
            .extracting(m -> m.path("content").asText()).containsExactly(gatewayAnswer);
        assertThat(gateway.anyUserMessageContains(marker)).as("the user's gateway saw the task").isTrue();
        assertThat(SharedStack.get().model().anyUserMessageContains(marker))
            .as("the node's configured model did not").isFalse();
    }

    @Test
    void anUnreachableModelEndpointShowsTheAgentRetryingWithinSeconds() throws IOException {
        HandoffApi user = new HandoffApi(stack.chatUrl());
        assertThat(user.put("/api/settings/model-endpoints/claude-code",
            "{\"url\": \"http://127.0.0.1:" + closedPort() + "\"}").status()).isEqualTo(204);
        String projectId = user.createProject("unreachable-model", repositoryUrl);
        JsonNode accepted = user.submitTask(projectId, "Is anyone there? " + marker);
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        await("task " + taskId + " running").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> user.task(taskId).path("status").asText().equals("running"));
        Instant running = Instant.now();
        await("the retry line").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
            .until(() -> !retryLines(user, sessionId).isEmpty());
        assertThat(Duration.between(running, Instant.now())).isLessThan(Duration.ofSeconds(20));
        assertThat(retryLines(user, sessionId).get(0).path("content").asText())
            .startsWith("The agent is retrying the model: Reconnecting to Claude, attempt ");
        assertThat(user.task(taskId).path("status").asText()).as("the agent still retries").isEqualTo("running");

        // The next attempts update the same line.
        await("attempt 3").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> retryLines(user, sessionId).stream()
                .anyMatch(m -> m.path("content").asText().contains("attempt 3 of")));
        assertThat(retryLines(user, sessionId)).hasSize(1);

        assertThat(user.cancelTask(taskId).status()).isEqualTo(202);
        await("task " + taskId + " cancelled").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
            .until(() -> user.task(taskId).path("status").asText().equals("cancelled"));
    }

    private static List<JsonNode> retryLines(HandoffApi user, String sessionId) {
        return user.messages(sessionId).stream().filter(m -> m.path("role").asText().equals("system")
            && m.path("data").path("kind").asText().equals("model_retry")).toList();
    }

    /** A port nothing listens on: the agent's connection is refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
