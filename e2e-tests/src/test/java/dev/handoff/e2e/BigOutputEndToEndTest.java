package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.WorkspaceReady;
import dev.handoff.localstack.HandoffStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent's output with a tool call update far over the gateway's frame limit (the real Claude Code adapter
 * writing a 700 KiB file: its tool call carries the whole content as a diff): the vm-agent shortens the update to
 * fit, the chat shows the tool call with a note that its output was shortened, and everything after it (the agent's
 * answer, a follow-up's answer) still reaches the chat. The file on the node is whole.
 */
@ExtendWith(SharedStack.class)
class BigOutputEndToEndTest {

    private static final Duration TURN = Duration.ofMinutes(4);

    private final HandoffStack stack = SharedStack.get().stack();
    private final HandoffApi api = new HandoffApi(stack.chatUrl());
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void aToolUpdateOverTheFrameLimitIsShortenedWithANoteAndLaterOutputStillReachesTheChat() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String projectId = api.createProject("big output " + marker, repositoryUrl);
        JsonNode submitted = api.submitTask(projectId,
            "Write a big file [[write-big-file big-" + marker + ".txt 700]]");
        String taskId = submitted.path("taskId").asText();
        String sessionId = submitted.path("sessionId").asText();

        await().atMost(TURN).until(() -> {
            String status = api.task(taskId).path("status").asText();
            assertThat(status).as("task " + taskId).isNotEqualTo("failed");
            return status.equals("turn_ended");
        });
        List<JsonNode> messages = api.messages(sessionId);
        assertThat(messages).as("the big write's tool call, shortened, with the note")
            .anySatisfy(m -> {
                assertThat(m.path("role").asText()).isEqualTo("tool");
                assertThat(m.path("data").toString()).contains("[Handoff shortened this output: ")
                    .contains("line 1 of a big file");
            });
        assertThat(messages).as("the answer after the big update").anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("assistant");
            assertThat(m.path("content").asText()).contains("Wrote big-" + marker + ".txt.");
        });
        Path written = workspaceOf(taskId).resolve("big-" + marker + ".txt");
        assertThat(Files.size(written)).as("only the report was shortened, not the file").isEqualTo(700 * 1024);

        String followUp = "after-the-big-file-" + marker;
        assertThat(api.sendFollowUp(sessionId, "[[say " + followUp + "]]").status()).isEqualTo(202);
        await().atMost(TURN).until(() -> api.messages(sessionId).stream()
            .anyMatch(m -> m.path("role").asText().equals("assistant")
                && m.path("content").asText().equals(followUp)));
    }

    private Path workspaceOf(String taskId) {
        WorkspaceReady ready = KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
            .filter(r -> taskId.equals(r.event().taskId()) && r.event().type().equals("WorkspaceReady"))
            .findFirst().orElseThrow().event().payload(WorkspaceReady.class);
        return Path.of(ready.path());
    }
}
