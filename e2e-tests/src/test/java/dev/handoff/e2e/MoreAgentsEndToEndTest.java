package dev.handoff.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.FakeModelServer;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalAgents;
import dev.handoff.localstack.LocalGitRepository;
import dev.handoff.localstack.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task for Codex or Gemini CLI, chosen by the task's {@code agent} field, in a repository with a devcontainer:
 * the node installs the agent from npm on demand, finds no Docker engine and runs the workspace in the plain
 * directory (the timeline says so and why), the real agent sends the task text to its (fake) model API and the
 * model's reply reaches the chat.
 */
@ExtendWith(SharedStack.class)
class MoreAgentsEndToEndTest {

    private final HandoffStack stack = SharedStack.get().stack();
    private final HandoffApi api = SharedStack.get().api();

    @ParameterizedTest
    @ValueSource(strings = {LocalAgents.CODEX, LocalAgents.GEMINI_CLI})
    void aTaskForAnotherAgentReachesItInTheWorkspaceRuntimeTheTimelineNames(String agent) throws Exception {
        Path git = Files.createTempDirectory("handoff-devcontainer-repo");
        String repositoryUrl = LocalGitRepository.bareRepositoryWithDevcontainer(git);
        String projectId = api.createProject("devcontainer-" + agent, repositoryUrl);
        String taskText = "Explain the login timeout in auth.ts " + UUID.randomUUID();

        JsonNode accepted = api.submitTask(projectId, taskText, agent);
        String taskId = accepted.path("taskId").asText();

        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
                String status = api.task(taskId).path("status").asText();
                assertThat(status).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
                return status.equals("turn_ended");
            });

        JsonNode task = api.task(taskId);
        assertThat(task.path("stopReason").asText()).isEqualTo("end_turn");
        JsonNode startingAgent = StreamSupport.stream(task.path("timeline").spliterator(), false)
            .filter(step -> step.path("status").asText().equals("starting_agent")).findFirst().orElseThrow();
        assertThat(startingAgent.path("detail").asText())
            .startsWith("plain directory: .devcontainer/devcontainer.json found, but no Docker");

        List<RecordedRequest> modelRequests = agent.equals(LocalAgents.CODEX)
            ? stack.openAiModel().orElseThrow().responsesRequests()
            : stack.geminiModel().orElseThrow().generateRequests();
        assertThat(modelRequests).as("the model API received the task text")
            .anySatisfy(request -> assertThat(request.rawBody()).contains(taskText));

        String assistantText = api.messages(accepted.path("sessionId").asText()).stream()
            .filter(m -> m.path("role").asText().equals("assistant"))
            .map(m -> m.path("content").asText()).collect(Collectors.joining("\n"));
        assertThat(assistantText).contains(FakeModelServer.replyTo(taskText));
    }
}
