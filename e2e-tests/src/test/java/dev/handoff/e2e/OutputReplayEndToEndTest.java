package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.e2e.KafkaTopics.Recorded;
import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.MessagesRequest;
import dev.handoff.localstack.RecordedRequest;
import dev.handoff.localstack.Reply;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Output survives a cut between node and gateway: while the agent streams a long reply, the gateway process is
 * SIGKILLed and started again. The vm-agent keeps every report the gateway had not acknowledged, reconnects with
 * its reconnect secret and sends them again in order; the gateway drops the ones it had already committed. The
 * chat shows every word exactly once, in order, and the agent was started once.
 */
class OutputReplayEndToEndTest {

    private static final String MARKER = "[[count-words]]";
    private static final int WORDS = 200;
    private static final Pattern WORD = Pattern.compile("word(\\d{3})");

    private static HandoffStack stack;
    private static HandoffApi api;
    private static String repositoryUrl;

    /** The fake model answers the marked prompt with 200 numbered words, one per delta, 50 ms apart (10 s). */
    private static Reply countWords(MessagesRequest request, ScriptedReplies otherwise) {
        if (request.outputSchema().isEmpty() && request.promptText().contains(MARKER)) {
            return Reply.text(numberedWords()).paced("word001 ".length(), Duration.ofMillis(50));
        }
        return otherwise.reply(request);
    }

    private static String numberedWords() {
        return IntStream.rangeClosed(1, WORDS).mapToObj(i -> String.format("word%03d", i))
            .collect(Collectors.joining(" "));
    }

    @BeforeAll
    static void startHandoff() throws Exception {
        Path work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve("replay-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
        repositoryUrl = GitFixtures.bareRepositoryWithProject(work.resolve("git"));
        var scripted = new ScriptedReplies();
        stack = HandoffStack.start(HandoffStack.Options.forTests(work.resolve("stack"),
            request -> countWords(request, scripted)));
        api = new HandoffApi(stack.chatUrl());
    }

    @AfterAll
    static void stopHandoff() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyWordReachesTheChatOnceAndInOrderAcrossAGatewayCrashMidStream() throws Exception {
        String taskText = "Count for me " + UUID.randomUUID() + " " + MARKER;
        String projectId = api.createProject("replay", repositoryUrl);
        JsonNode accepted = api.submitTask(projectId, taskText);
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        await("the first words in the chat").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
            .until(() -> {
                assertThat(api.task(taskId).path("status").asText()).isNotEqualTo("failed");
                return assistantText(sessionId).contains("word020");
            });
        ManagedProcess gateway = stack.service("vm-agent-gateway");
        gateway.kill();
        assertThat(assistantText(sessionId)).as("the gateway was cut while the reply was still streaming")
            .doesNotContain("word" + WORDS);
        gateway.restart();

        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
                String status = api.task(taskId).path("status").asText();
                assertThat(status).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
                return status.equals("turn_ended");
            });
        assertThat(api.task(taskId).path("stopReason").asText()).isEqualTo("end_turn");

        // The chat: every word once, in order.
        await("all words in the chat").atMost(Duration.ofSeconds(30))
            .until(() -> assistantText(sessionId).contains("word" + WORDS));
        List<String> expected = IntStream.rangeClosed(1, WORDS).mapToObj(i -> String.format("word%03d", i)).toList();
        assertThat(wordsIn(assistantText(sessionId))).containsExactlyElementsOf(expected);

        // Kafka: one event per output, sequences 1..n without gaps or doubles. The outbox publishes at least once,
        // so a record can repeat after the crash, but only under the same event id; distinct events never repeat.
        List<Envelope> events = distinctEvents(KafkaTopics.readAll(stack.kafka().bootstrapServers(),
            Topics.NODE_REPORTS).stream().filter(r -> taskId.equals(r.event().taskId())).toList());
        List<AgentOutput> outputs = events.stream().filter(e -> e.type().equals("AgentOutput"))
            .map(e -> e.payload(AgentOutput.class)).toList();
        assertThat(outputs).extracting(AgentOutput::sequence)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, outputs.size()).boxed().toList());
        List<Envelope> turnEnded = events.stream().filter(e -> e.type().equals("AgentTurnEnded")).toList();
        assertThat(turnEnded).hasSize(1);
        assertThat(turnEnded.get(0).payload(AgentTurnEnded.class).lastSequence()).isEqualTo(outputs.size());
        assertThat(events.stream().filter(e -> e.type().equals("AgentStarted"))).hasSize(1);

        // One agent, one prompt: the model got the task as a prompt in one main request, and the node recorded one
        // delivery, ended.
        FakeAnthropicServer model = stack.model().orElseThrow();
        List<RecordedRequest> prompted = model.messageRequests().stream()
            .filter(r -> r.messages().outputSchema().isEmpty() && r.messages().promptText().contains(taskText))
            .toList();
        assertThat(prompted).hasSize(1);
        String nodeId = events.get(0).nodeId();
        try (Stream<Path> deliveries = Files.list(stack.nodesDir().resolve(nodeId).resolve("deliveries"))) {
            List<Path> files = deliveries.toList();
            assertThat(files).hasSize(1);
            assertThat(Files.readString(files.get(0))).contains("\"state\":\"ended\"");
        }
    }

    private static String assistantText(String sessionId) {
        return api.messages(sessionId).stream().filter(m -> m.path("role").asText().equals("assistant"))
            .map(m -> m.path("content").asText()).collect(Collectors.joining("\n"));
    }

    private static List<String> wordsIn(String text) {
        Matcher matcher = WORD.matcher(text);
        List<String> words = new java.util.ArrayList<>();
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    private static List<Envelope> distinctEvents(List<Recorded> records) {
        Map<UUID, Envelope> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(r.event().eventId(), r.event()));
        return List.copyOf(byId.values());
    }
}
