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
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The conversation with a living agent, entered through the public API with the real Claude Code adapter on the
 * fake model: a follow-up goes into the same agent session after the turn ended, and with a project's permission
 * policy {@code ask} the agent's Write waits for the user's answer in the chat.
 */
@ExtendWith(SharedStack.class)
class ConversationEndToEndTest {

    private static final Duration TURN = Duration.ofMinutes(4);

    private final HandoffStack stack = SharedStack.get().stack();
    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void aFollowUpAfterTheTurnGoesToTheSameAgentSessionAndItsReplyFollowsInTheChat() {
        String marker = UUID.randomUUID().toString();
        String taskText = "Explain the login module " + marker;
        String followUp = "FOLLOW-UP " + marker + ": now summarise it in one line";
        String projectId = api.createProject("conversation", repositoryUrl);
        JsonNode accepted = api.submitTask(projectId, taskText);
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        awaitStatus(taskId, "turn_ended");
        int firstTurnMessages = api.messages(sessionId).size();

        HandoffApi.Answer sent = api.sendFollowUp(sessionId, followUp);

        assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
        assertThat(sent.body().path("taskId").asText()).isEqualTo(taskId);
        HandoffApi.Answer second = api.sendFollowUp(sessionId, "one more while the first is on its way");
        assertThat(second.status()).as("a follow-up while the agent has one: " + second).isEqualTo(409);
        awaitTimelineEndsWith(taskId, "turn_ended", 2);

        // The model got the follow-up inside the same conversation as the first prompt.
        FakeAnthropicServer model = stack.model().orElseThrow();
        assertThat(model.anyUserMessageContains(followUp)).as("the model saw the follow-up").isTrue();
        assertThat(model.anyRequest(r -> r.body().toString().contains(taskText)
            && r.body().toString().contains(followUp))).as("one conversation holds both prompts").isTrue();

        // The chat: the follow-up after the first turn's reply, then its own reply, in the same session.
        List<JsonNode> messages = api.messages(sessionId);
        assertThat(messages.get(firstTurnMessages).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(firstTurnMessages).path("content").asText()).isEqualTo(followUp);
        assertThat(messages.subList(0, firstTurnMessages)).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("assistant");
            assertThat(m.path("content").asText()).contains(ScriptedReplies.DEFAULT_PREFIX).contains(marker);
        });
        assertThat(messages.subList(firstTurnMessages + 1, messages.size())).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("assistant");
            assertThat(m.path("content").asText()).contains(ScriptedReplies.DEFAULT_PREFIX + " " + followUp);
        });
        // The same living agent took the follow-up: no notice that it was started again (the branch publisher's
        // system messages after each turn are about the work, not the agent).
        assertThat(messages).noneMatch(m -> m.path("role").asText().equals("system")
            && m.path("content").asText().startsWith("The agent was started again"));
        assertThat(messages).extracting(m -> m.path("seq").asLong()).isSorted().doesNotHaveDuplicates();

        // The living agent took it: the node reports it continued the same ACP session.
        AgentPromptDelivered delivered = records(taskId).stream().map(Recorded::event)
            .filter(e -> e.type().equals("AgentPromptDelivered")).findFirst().orElseThrow()
            .payload(AgentPromptDelivered.class);
        assertThat(delivered.how()).isEqualTo("continued");
        JsonNode task = api.task(taskId);
        assertThat(task.path("timeline").findValuesAsText("status")).containsSubsequence("running", "turn_ended",
            "delivering_prompt", "running", "turn_ended");

        assertThat(api.cancelTask(taskId).status()).isEqualTo(202);
        awaitStatus(taskId, "cancelled");
        HandoffApi.Answer late = api.sendFollowUp(sessionId, "too late");
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(late.body().path("message").asText()).contains("cancelled");
        assertThat(api.sendFollowUp(sessionId, " ").body().path("field").asText()).isEqualTo("text");
        assertThat(api.sendFollowUp(UUID.randomUUID().toString(), "hello").status()).isEqualTo(404);
    }

    @Test
    void withPermissionPolicyAskTheAgentsWriteWaitsForTheUserAndAllowLetsItWrite() {
        String file = "asked-" + UUID.randomUUID().toString().substring(0, 8) + ".txt";
        String projectId = api.createProject("asking", repositoryUrl, "ask");
        assertThat(api.get("/api/projects/" + projectId).body().path("permissionPolicy").asText()).isEqualTo("ask");
        JsonNode accepted = api.submitTask(projectId, "Create the file [[write-file " + file + " allowed]]");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        JsonNode permission = awaitPendingPermission(sessionId);
        awaitStatus(taskId, "waiting_for_permission");
        Path workspace = workspaceOf(taskId);
        assertThat(workspace.resolve(file)).as("not written before the user answered").doesNotExist();
        String requestId = permission.path("data").path("requestId").asText();
        String allow = optionOfKind(permission, "allow_once");

        assertThat(api.answerPermission(taskId, requestId, "no-such-option").body().path("field").asText())
            .isEqualTo("optionId");
        assertThat(api.answerPermission(taskId, "no-such-request", allow).status()).isEqualTo(404);
        HandoffApi.Answer answered = api.answerPermission(taskId, requestId, allow);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(202);
        assertThat(api.answerPermission(taskId, requestId, allow).status()).as("answered twice").isEqualTo(409);

        awaitStatus(taskId, "turn_ended");
        assertThat(workspace.resolve(file)).hasContent("allowed");
        JsonNode shown = permissionMessage(sessionId, requestId);
        assertThat(shown.path("data").path("state").asText()).isEqualTo("answered");
        assertThat(shown.path("data").path("chosenOptionId").asText()).isEqualTo(allow);
        assertThat(shown.path("data").path("toolCall").path("title").asText()).isNotBlank();
        assertThat(api.task(taskId).path("timeline").findValuesAsText("status")).containsSubsequence("running",
            "waiting_for_permission", "running", "turn_ended");
    }

    @Test
    void withPermissionPolicyAskARejectedWriteLeavesNoFileAndTheTurnEnds() {
        String file = "rejected-" + UUID.randomUUID().toString().substring(0, 8) + ".txt";
        String projectId = api.createProject("asking", repositoryUrl, "ask");
        JsonNode accepted = api.submitTask(projectId, "Create the file [[write-file " + file + " rejected]]");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        JsonNode permission = awaitPendingPermission(sessionId);
        String requestId = permission.path("data").path("requestId").asText();

        HandoffApi.Answer answered = api.answerPermission(taskId, requestId, optionOfKind(permission, "reject_once"));

        assertThat(answered.status()).as(answered.toString()).isEqualTo(202);
        awaitStatus(taskId, "turn_ended");
        assertThat(workspaceOf(taskId).resolve(file)).doesNotExist();
        assertThat(permissionMessage(sessionId, requestId).path("data").path("state").asText()).isEqualTo("answered");
        assertThat(api.messages(sessionId)).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("assistant");
            assertThat(m.path("content").asText()).contains("Could not write " + file);
        });
    }

    @Test
    void cancellingWhileAPermissionRequestIsPendingEndsTheTaskAndExpiresTheRequest() {
        String file = "cancelled-" + UUID.randomUUID().toString().substring(0, 8) + ".txt";
        String projectId = api.createProject("asking", repositoryUrl, "ask");
        JsonNode accepted = api.submitTask(projectId, "Create the file [[write-file " + file + " never]]");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        JsonNode permission = awaitPendingPermission(sessionId);
        String requestId = permission.path("data").path("requestId").asText();

        assertThat(api.cancelTask(taskId).status()).isEqualTo(202);

        awaitStatus(taskId, "cancelled");
        assertThat(permissionMessage(sessionId, requestId).path("data").path("state").asText()).isEqualTo("expired");
        HandoffApi.Answer late = api.answerPermission(taskId, requestId, optionOfKind(permission, "allow_once"));
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(workspaceOf(taskId).resolve(file)).doesNotExist();
    }

    private JsonNode awaitPendingPermission(String sessionId) {
        return await("a pending permission message in session " + sessionId).atMost(TURN)
            .pollInterval(Duration.ofMillis(300))
            .until(() -> api.messages(sessionId).stream().filter(m -> m.path("role").asText().equals("permission"))
                .filter(m -> m.path("data").path("state").asText().equals("pending")).findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    private JsonNode permissionMessage(String sessionId, String requestId) {
        return api.messages(sessionId).stream()
            .filter(m -> m.path("data").path("requestId").asText().equals(requestId)).findFirst().orElseThrow();
    }

    private static String optionOfKind(JsonNode permission, String kind) {
        return StreamSupport.stream(permission.path("data").path("options").spliterator(), false)
            .filter(o -> o.path("kind").asText().equals(kind)).map(o -> o.path("optionId").asText()).findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " option in " + permission));
    }

    private void awaitStatus(String taskId, String status) {
        await("task " + taskId + " " + status).atMost(TURN).pollInterval(Duration.ofMillis(300)).until(() -> {
            String now = api.task(taskId).path("status").asText();
            assertThat(now).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
            return now.equals(status);
        });
    }

    /** Waits until the timeline holds {@code status} {@code times} times and ends with it. */
    private void awaitTimelineEndsWith(String taskId, String status, int times) {
        await("task " + taskId + " " + status + " x" + times).atMost(TURN).pollInterval(Duration.ofMillis(300))
            .until(() -> {
                JsonNode task = api.task(taskId);
                assertThat(task.path("status").asText()).as(() -> "task failed: " + task).isNotEqualTo("failed");
                List<String> steps = task.path("timeline").findValuesAsText("status");
                return steps.stream().filter(status::equals).count() == times && status.equals(task.path("status")
                    .asText());
            });
    }

    private List<Recorded> records(String taskId) {
        return KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
            .filter(r -> taskId.equals(r.event().taskId())).toList();
    }

    private Path workspaceOf(String taskId) {
        Recorded ready = records(taskId).stream().filter(r -> r.event().type().equals("WorkspaceReady"))
            .findFirst().orElseThrow();
        return stack.workspace(ready.event().nodeId(), ready.event().payload(WorkspaceReady.class).workspaceId());
    }
}
