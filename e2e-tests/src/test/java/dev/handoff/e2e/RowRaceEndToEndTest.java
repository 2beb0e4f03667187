package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Topics;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two conflicting requests on the same task at the same moment (two browser tabs, a double click): exactly one takes
 * effect, the other gets a clear answer, and no event is published twice. The requests race on the chat session's
 * row, whose version (optimistic locking) makes the later commit fail; it runs again and then sees the first one's
 * effect.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowRaceEndToEndTest {

    private static final Duration TURN = Duration.ofMinutes(3);

    private final HandoffStack stack = SharedStack.get().stack();
    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();
    private final ScriptedReplies replies = new ScriptedReplies();
    private final ExecutorService racers = Executors.newFixedThreadPool(2);

    @AfterAll
    void stopRacers() {
        racers.shutdownNow();
    }

    @Test
    void twoFollowUpsAtOnceOneIsTakenTheOtherIsRefusedWith409() {
        JsonNode accepted = api.submitTask(api.createProject("race-follow-up", repositoryUrl), "Start the race");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        awaitTurnEnded(taskId, 1);
        String first = "First tab " + UUID.randomUUID();
        String second = "Second tab " + UUID.randomUUID();

        List<HandoffApi.Answer> answers = race(() -> api.sendFollowUp(sessionId, first),
            () -> api.sendFollowUp(sessionId, second));

        assertThat(answers).extracting(HandoffApi.Answer::status).as(answers.toString())
            .containsExactlyInAnyOrder(202, 409);
        HandoffApi.Answer refused = answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow();
        assertThat(refused.body().path("message").asText()).contains("send the follow-up when its turn has ended");
        String winner = answers.get(0).status() == 202 ? first : second;
        String loser = winner.equals(first) ? second : first;
        awaitTurnEnded(taskId, 2);
        String chat = await("the answer in the chat").atMost(Duration.ofSeconds(30))
            .until(() -> chatOf(sessionId), c -> c.contains(replies.defaultReply(winner)));
        assertThat(chat).doesNotContain(loser);
        assertThat(eventsOf(taskId, "FollowUpSubmitted")).isEqualTo(1);
    }

    @Test
    void twoAnswersToOnePermissionRequestAtOnceOnlyOneReachesTheAgent() {
        String file = "raced-" + UUID.randomUUID().toString().substring(0, 8) + ".txt";
        String projectId = api.createProject("race-permission", repositoryUrl, "ask");
        JsonNode accepted = api.submitTask(projectId, "Create the file [[write-file " + file + " raced]]");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        JsonNode permission = await("a pending permission request").atMost(TURN).pollInterval(Duration.ofMillis(300))
            .until(() -> api.messages(sessionId).stream().filter(m -> m.path("role").asText().equals("permission"))
                .filter(m -> m.path("data").path("state").asText().equals("pending")).findFirst(), Optional::isPresent)
            .orElseThrow();
        String requestId = permission.path("data").path("requestId").asText();
        String allow = optionOfKind(permission, "allow_once");
        String reject = optionOfKind(permission, "reject_once");

        List<HandoffApi.Answer> answers = race(() -> api.answerPermission(taskId, requestId, allow),
            () -> api.answerPermission(taskId, requestId, reject));

        assertThat(answers).extracting(HandoffApi.Answer::status).as(answers.toString())
            .containsExactlyInAnyOrder(202, 409);
        HandoffApi.Answer refused = answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow();
        assertThat(refused.body().path("message").asText()).contains("is already answered");
        String chosen = answers.get(0).status() == 202 ? allow : reject;
        awaitTurnEnded(taskId, 1);
        JsonNode shown = api.messages(sessionId).stream()
            .filter(m -> m.path("data").path("requestId").asText().equals(requestId)).findFirst().orElseThrow();
        assertThat(shown.path("data").path("chosenOptionId").asText()).isEqualTo(chosen);
        Path written = workspaceOf(taskId).resolve(file);
        if (chosen.equals(allow)) {
            assertThat(written).hasContent("raced");
        } else {
            assertThat(written).doesNotExist();
        }
        assertThat(eventsOf(taskId, "PermissionAnswered")).isEqualTo(1);
    }

    @Test
    void twoCancelsAtOnceRequestTheCancelOnce() {
        JsonNode accepted = api.submitTask(api.createProject("race-cancel", repositoryUrl), "Cancel me twice");
        String taskId = accepted.path("taskId").asText();
        await("the task is under way").atMost(TURN).pollInterval(Duration.ofMillis(100))
            .until(() -> !api.task(taskId).path("status").asText().equals("queued"));

        List<HandoffApi.Answer> answers = race(() -> api.cancelTask(taskId), () -> api.cancelTask(taskId));

        assertThat(answers).extracting(HandoffApi.Answer::status).as(answers.toString()).containsOnly(202);
        await("task cancelled").atMost(TURN).pollInterval(Duration.ofMillis(300))
            .until(() -> api.task(taskId).path("status").asText().equals("cancelled"));
        assertThat(api.messages(accepted.path("sessionId").asText()).stream()
            .filter(m -> m.path("content").asText().equals("Cancel requested."))).hasSize(1);
        assertThat(eventsOf(taskId, "TaskCancelRequested")).isEqualTo(1);
    }

    /** Sends both requests at the same moment (each waits for the other at a barrier) and returns both answers. */
    private List<HandoffApi.Answer> race(Supplier<HandoffApi.Answer> one, Supplier<HandoffApi.Answer> other) {
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<HandoffApi.Answer>> both = List.of(one, other).stream()
            .map(request -> CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return request.get();
            }, racers)).toList();
        return both.stream().map(CompletableFuture::join).toList();
    }

    private long eventsOf(String taskId, String type) {
        return KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.TASK_EVENTS).stream()
            .filter(r -> taskId.equals(r.event().taskId()) && r.event().type().equals(type))
            .map(r -> r.event().eventId()).distinct().count();
    }

    private void awaitTurnEnded(String taskId, int times) {
        await("task " + taskId + " turn ended x" + times).atMost(TURN).pollInterval(Duration.ofMillis(300))
            .until(() -> {
                JsonNode task = api.task(taskId);
                assertThat(task.path("status").asText()).as(() -> "task failed: " + task).isNotEqualTo("failed");
                return task.path("status").asText().equals("turn_ended") && task.path("timeline")
                    .findValuesAsText("status").stream().filter("turn_ended"::equals).count() == times;
            });
    }

    private String chatOf(String sessionId) {
        return String.join("\n", api.messages(sessionId).stream().map(m -> m.path("content").asText()).toList());
    }

    private Path workspaceOf(String taskId) {
        return KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
            .filter(r -> taskId.equals(r.event().taskId()) && r.event().type().equals("WorkspaceReady"))
            .map(r -> stack.workspace(r.event().nodeId(),
                r.event().payload(dev.handoff.contracts.events.WorkspaceReady.class).workspaceId()))
            .findFirst().orElseThrow();
    }

    private static String optionOfKind(JsonNode permission, String kind) {
        return StreamSupport.stream(permission.path("data").path("options").spliterator(), false)
            .filter(o -> o.path("kind").asText().equals(kind)).map(o -> o.path("optionId").asText()).findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " option in " + permission));
    }
}
