package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that waits for {@code turn_ended} ({@code GET /api/tasks/{id}}) and then reads the transcript
 * ({@code GET /api/sessions/{id}/messages}) finds the whole answer: the status and the output reach chat-service
 * on different topics, and a long answer streamed as fast as the agent can (the fake model's
 * {@code [[fast-reply N]]}, about 1,600 chunks) is folded into the chat well after the orchestrator saw the turn
 * end; chat-service shows the turn ended only once its transcript holds the turn's last output.
 */
@ExtendWith(SharedStack.class)
class TurnEndedTranscriptEndToEndTest {

    private static final int LINES = 600;

    private final HandoffApi api = new HandoffApi(SharedStack.get().stack().chatUrl());

    @Test
    void whenTheTaskSaysTurnEndedTheChatHoldsTheWholeAnswer() {
        String projectId = api.createProject("turn-ended-transcript", SharedStack.get().repositoryUrl());
        JsonNode accepted = api.submitTask(projectId, "Answer at length [[fast-reply " + LINES + "]]");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        await("turn ended").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
            String status = api.task(taskId).path("status").asText();
            assertThat(status).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
            return status.equals("turn_ended");
        });
        List<JsonNode> messages = api.messages(sessionId);

        String answer = messages.stream().filter(m -> m.path("role").asText().equals("assistant"))
            .map(m -> m.path("content").asText()).reduce("", String::concat);
        // The whole answer, in order (the Claude Code adapter may add a notice of its own after it).
        assertThat(answer).as("the transcript read right after turn_ended")
            .contains(ScriptedReplies.slowReply(LINES));
    }
}
