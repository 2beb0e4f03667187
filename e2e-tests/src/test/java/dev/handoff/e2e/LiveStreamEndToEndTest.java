package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.e2e.HandoffApi.StreamEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live stream of a chat session ({@code GET /api/sessions/{id}/stream}) and the project lists, through the
 * public API: message events in revision order that end equal to the stored messages, task events with the
 * timeline, and catch-up from {@code Last-Event-ID} or {@code ?after=} with exactly the messages changed since.
 */
@ExtendWith(SharedStack.class)
class LiveStreamEndToEndTest {

    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void theStreamDeliversEveryChangeInRevisionOrderAndCatchesUpFromALastEventId() {
        String projectId = api.createProject("stream", repositoryUrl);
        JsonNode accepted = api.submitTask(projectId, "Count slowly " + UUID.randomUUID() + " [[slow-reply 30]]");
        String sessionId = accepted.path("sessionId").asText();

        // After the turn the node publishes the work and the chat adds that result; only then is the session quiet.
        List<StreamEvent> events = api.stream(sessionId, null, null,
            got -> turnEnded(got) && published(got) && caughtUp(sessionId, got), Duration.ofMinutes(4));

        List<StreamEvent> messages = events.stream().filter(LiveStreamEndToEndTest::isMessageChange).toList();
        List<Long> revisions = messages.stream().map(e -> Long.parseLong(e.id())).toList();
        assertThat(revisions).as("SSE ids are the message revisions, increasing").isSorted().doesNotHaveDuplicates();
        assertThat(messages).allSatisfy(e ->
            assertThat(e.data().path("revision").asLong()).isEqualTo(Long.parseLong(e.id())));
        // The assistant message was seen while it grew, not only at the end: whole once, then as the text added.
        assertThat(messages.stream().filter(e -> e.data().path("role").asText().equals("assistant")
            && !e.data().path("complete").asBoolean()).count()).isGreaterThan(1);
        assertThat(messages.stream().filter(e -> e.name().equals("append")).count())
            .as("a growing reply is streamed as appends after its first event").isGreaterThan(0);

        // Folding the events by seq gives exactly what the messages API stores.
        List<JsonNode> stored = api.messages(sessionId);
        Map<Long, JsonNode> folded = fold(messages);
        assertThat(folded.keySet()).containsExactlyElementsOf(stored.stream().map(m -> m.path("seq").asLong()).toList());
        stored.forEach(m -> assertThat(folded.get(m.path("seq").asLong())).isEqualTo(m));
        String reply = stored.stream().filter(m -> m.path("role").asText().equals("assistant"))
            .map(m -> m.path("content").asText()).filter(c -> c.contains("Line 1 of 30.")).findFirst().orElseThrow();
        assertThat(reply).contains("Line 30 of 30.");

        // The task events carry the timeline as it fills.
        JsonNode lastTask = events.stream().filter(e -> e.name().equals("task")).reduce((a, b) -> b).orElseThrow()
            .data();
        assertThat(lastTask.path("timeline").findValuesAsText("status"))
            .containsSubsequence("queued", "provisioning_node", "creating_workspace", "starting_agent", "running",
                "turn_ended");

        // A reconnect from the middle gets exactly the messages whose newest revision is later, nothing else.
        long middle = revisions.get(revisions.size() / 2);
        long newest = stored.stream().mapToLong(m -> m.path("revision").asLong()).max().orElseThrow();
        List<Long> expected = stored.stream().filter(m -> m.path("revision").asLong() > middle)
            .map(m -> m.path("seq").asLong()).toList();
        for (String[] resume : List.of(new String[] {Long.toString(middle), null},
            new String[] {null, "after=" + middle})) {
            List<StreamEvent> caughtUp = api.stream(sessionId, resume[0], resume[1],
                got -> got.stream().anyMatch(e -> e.name().equals("message")
                    && Long.parseLong(e.id()) == newest), Duration.ofSeconds(30));
            List<StreamEvent> again = caughtUp.stream().filter(e -> e.name().equals("message")).toList();
            assertThat(again).extracting(e -> e.data().path("seq").asLong()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(again).allSatisfy(e -> assertThat(Long.parseLong(e.id())).isGreaterThan(middle));
        }

        assertThat(api.get("/api/sessions/" + UUID.randomUUID() + "/stream").status()).isEqualTo(404);
    }

    @Test
    void projectsAreListedEditedAndShowTheirSessionsNewestFirst() {
        String projectId = api.createProject("lists-" + UUID.randomUUID(), repositoryUrl);
        assertThat(api.get("/api/projects").body().findValuesAsText("id")).contains(projectId);

        HandoffApi.Answer edited = api.put("/api/projects/" + projectId,
            "{\"name\":\"renamed\",\"repositoryUrl\":\"" + repositoryUrl + "\",\"defaultBranch\":\"develop\"}");
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(api.get("/api/projects/" + projectId).body().path("name").asText()).isEqualTo("renamed");
        assertThat(api.get("/api/projects/" + projectId).body().path("defaultBranch").asText()).isEqualTo("develop");
        HandoffApi.Answer refused = api.put("/api/projects/" + projectId,
            "{\"name\":\"x\",\"repositoryUrl\":\"not a url\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("field").asText()).isEqualTo("repositoryUrl");
        assertThat(api.put("/api/projects/" + UUID.randomUUID(),
            "{\"name\":\"x\",\"repositoryUrl\":\"" + repositoryUrl + "\"}").status()).isEqualTo(404);

        api.put("/api/projects/" + projectId, "{\"name\":\"renamed\",\"repositoryUrl\":\"" + repositoryUrl
            + "\",\"defaultBranch\":\"main\"}");
        String first = api.submitTask(projectId, "First task").path("sessionId").asText();
        String second = api.submitTask(projectId, "Second task").path("sessionId").asText();
        JsonNode sessions = api.get("/api/projects/" + projectId + "/sessions").body();
        assertThat(sessions.findValuesAsText("id")).containsExactly(second, first);
        assertThat(sessions.get(0).path("topic").asText()).isEqualTo("Second task");
        assertThat(sessions.get(0).path("status").asText()).isNotBlank();
        assertThat(api.get("/api/projects/" + UUID.randomUUID() + "/sessions").status()).isEqualTo(404);
    }

    /** The stream has delivered the newest revision the messages API stores. */
    private boolean caughtUp(String sessionId, List<StreamEvent> events) {
        long newest = api.messages(sessionId).stream().mapToLong(m -> m.path("revision").asLong()).max().orElse(0);
        return events.stream().filter(LiveStreamEndToEndTest::isMessageChange)
            .anyMatch(e -> Long.parseLong(e.id()) == newest);
    }

    /** A {@code message} event (a message whole) or an {@code append} (text added to one sent before). */
    private static boolean isMessageChange(StreamEvent event) {
        return event.name().equals("message") || event.name().equals("append");
    }

    /** The turn's publish result (branch pushed, nothing to commit, ...) is in the stream: the last message of a turn. */
    private static boolean published(List<StreamEvent> events) {
        return events.stream().anyMatch(e -> e.name().equals("message")
            && e.data().path("role").asText().equals("system") && e.data().path("data").path("result").isTextual());
    }

    /** The turn ended (task event) and every message it produced is complete (its last message event). */
    private static boolean turnEnded(List<StreamEvent> events) {
        StreamEvent last = events.get(events.size() - 1);
        if (last.name().equals("task")) {
            assertThat(last.data().path("status").asText()).as(() -> "task failed: " + last.data())
                .isNotEqualTo("failed");
        }
        boolean ended = events.stream().anyMatch(e -> e.name().equals("task")
            && e.data().path("status").asText().equals("turn_ended"));
        return ended && fold(events.stream().filter(LiveStreamEndToEndTest::isMessageChange).toList()).values()
            .stream().allMatch(m -> m.path("complete").asBoolean());
    }

    /**
     * The latest state of each message, by seq (events come in revision order, so later ones win); an append adds
     * its text where the message's text ends, as the web page does.
     */
    private static Map<Long, JsonNode> fold(List<StreamEvent> messages) {
        Map<Long, JsonNode> bySeq = new TreeMap<>();
        for (StreamEvent e : messages) {
            long seq = e.data().path("seq").asLong();
            if (e.name().equals("message")) {
                bySeq.put(seq, e.data());
                continue;
            }
            ObjectNode grown = ((ObjectNode) bySeq.get(seq)).deepCopy();
            String content = grown.path("content").asText();
            assertThat(e.data().path("offset").asLong()).as("append %s follows the text sent", e.id())
                .isEqualTo(content.length());
            grown.put("content", content + e.data().path("text").asText());
            grown.set("revision", e.data().path("revision"));
            grown.set("complete", e.data().path("complete"));
            grown.set("updatedAt", e.data().path("updatedAt"));
            bySeq.put(seq, grown);
        }
        return bySeq;
    }
}
