package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.WorkspaceReady;
import dev.handoff.e2e.KafkaTopics.Recorded;
import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A follow-up after the agent was ended for being idle (HANDOFF_AGENT_IDLE_TIMEOUT_SECONDS shortened to 3 s on the
 * node): the node starts the real Claude adapter again in the same workspace, session/loads the earlier session, and
 * the agent still remembers the conversation; the chat says the agent was started again.
 */
@ExtendWith(SharedStack.class)
@SharedStack.Configure(service = "provisioner-service", env = {"HANDOFF_AGENT_IDLE_TIMEOUT_SECONDS=3",
    "HANDOFF_PROVISIONER_LOCAL_PASS_ENV=ANTHROPIC_API_KEY,HANDOFF_AGENT_IDLE_TIMEOUT_SECONDS,"
        + HandoffStack.REPOSITORY_POLICY_ENV})
class FollowUpAfterIdleEndToEndTest {

    private static final Duration TURN = Duration.ofMinutes(4);

    private final HandoffStack stack = SharedStack.get().stack();
    /** A user of its own: no warm node yet, so its task gets a node started with the short idle timeout. */
    private final HandoffApi api = new HandoffApi(stack.chatUrl());
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void aFollowUpAfterTheIdleAgentWasEndedReachesAnAgentThatLoadedTheSameConversation() {
        String marker = UUID.randomUUID().toString();
        String taskText = "Remember the code word " + marker;
        String followUp = "What was the code word? (after a pause " + marker.substring(0, 8) + ")";
        JsonNode accepted = api.submitTask(api.createProject("idle", repositoryUrl), taskText);
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        awaitStatus(taskId, "turn_ended", 1);
        Path workspace = workspaceOf(taskId);
        await("the idle agent ended").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
            .until(() -> AgentProcesses.in(workspace).isEmpty());

        HandoffApi.Answer sent = api.sendFollowUp(sessionId, followUp);

        assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
        awaitStatus(taskId, "turn_ended", 2);
        AgentPromptDelivered delivered = reports(taskId).stream().map(Recorded::event)
            .filter(e -> e.type().equals("AgentPromptDelivered")).findFirst().orElseThrow()
            .payload(AgentPromptDelivered.class);
        assertThat(delivered.how()).isEqualTo("loaded");
        FakeAnthropicServer model = stack.model().orElseThrow();
        assertThat(model.anyRequest(r -> r.body().toString().contains(taskText)
            && r.body().toString().contains(followUp))).as("the restarted agent remembers the first prompt").isTrue();
        List<JsonNode> messages = api.messages(sessionId);
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("system");
            assertThat(m.path("content").asText()).contains("started again and reloaded this conversation");
        });
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("assistant");
            assertThat(m.path("content").asText()).contains(ScriptedReplies.DEFAULT_PREFIX + " " + followUp);
        });
        assertThat(messages.stream().filter(m -> m.path("content").asText().contains(taskText)))
            .as("the replayed history is not shown again").hasSize(2);
    }

    private void awaitStatus(String taskId, String status, int times) {
        await("task " + taskId + " " + status + " x" + times).atMost(TURN).pollInterval(Duration.ofMillis(300))
            .until(() -> {
                JsonNode task = api.task(taskId);
                assertThat(task.path("status").asText()).as(() -> "task failed: " + task).isNotEqualTo("failed");
                return task.path("status").asText().equals(status) && task.path("timeline")
                    .findValuesAsText("status").stream().filter(status::equals).count() == times;
            });
    }

    private List<Recorded> reports(String taskId) {
        return KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
            .filter(r -> taskId.equals(r.event().taskId())).toList();
    }

    private Path workspaceOf(String taskId) {
        Recorded ready = reports(taskId).stream().filter(r -> r.event().type().equals("WorkspaceReady"))
            .findFirst().orElseThrow();
        return stack.workspace(ready.event().nodeId(), ready.event().payload(WorkspaceReady.class).workspaceId());
    }
}
