package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.contracts.events.PermissionAnswerRequested;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;
import dev.handoff.contracts.node.NodeTokens;
import dev.handoff.e2e.KafkaTopics.Recorded;
import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import dev.handoff.localstack.MessagesRequest;
import dev.handoff.localstack.RecordedRequest;
import dev.handoff.localstack.Reply;
import dev.handoff.localstack.ReplyRouter;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Output survives a cut between node and gateway: while the agent streams a long reply, the gateway process is
 * SIGKILLed and started again. The vm-agent keeps every report the gateway had not acknowledged, reconnects with
 * its reconnect secret and sends them again in order; the gateway drops the ones it had already committed. The
 * chat shows every word exactly once, in order, and the agent was started once. A hand-driven node shows the
 * gateway's side alone: resent numbers make no second event, and a gap is refused. On the {@link BreakableStack}:
 * the test starts the gateway again.
 */
@ExtendWith(BreakableStack.class)
class OutputReplayEndToEndTest {

    /** In this class's task texts only: the fake model answers them with numbered words. */
    private static final String MARKER = "count-words-" + UUID.randomUUID();
    private static final int WORDS = 200;
    private static final Pattern WORD = Pattern.compile("word(\\d{3})");

    private static HandoffStack stack;
    private static HandoffApi api;
    private static String repositoryUrl;
    private static ReplyRouter.Route countWords;

    /** The fake model answers the marked prompt with 200 numbered words, one per delta, 50 ms apart (10 s). */
    private static Reply countWords(MessagesRequest request, ScriptedReplies otherwise) {
        if (!request.sideRequest() && request.promptText().contains(MARKER)) {
            return Reply.text(numberedWords()).paced("word001 ".length(), Duration.ofMillis(50));
        }
        return otherwise.reply(request);
    }

    private static String numberedWords() {
        return IntStream.rangeClosed(1, WORDS).mapToObj(i -> String.format("word%03d", i))
            .collect(Collectors.joining(" "));
    }

    @BeforeAll
    static void signUp() {
        stack = BreakableStack.get().stack();
        repositoryUrl = BreakableStack.get().repositoryUrl();
        var scripted = new ScriptedReplies();
        countWords = BreakableStack.get().route(MARKER, request -> countWords(request, scripted));
        api = new HandoffApi(stack.chatUrl());
    }

    @AfterAll
    static void closeRoute() {
        if (countWords != null) {
            countWords.close();
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

        // Kafka: every update once, 1..n without gaps or doubles (an event may hold several joined text chunks). The
        // outbox publishes at least once, so a record can repeat after the crash, but only under the same event id;
        // distinct events never repeat.
        List<Envelope> events = distinctEvents(KafkaTopics.readAll(stack.kafka().bootstrapServers(),
            Topics.NODE_REPORTS).stream().filter(r -> taskId.equals(r.event().taskId())).toList());
        List<AgentOutput> outputs = events.stream().filter(e -> e.type().equals("AgentOutput"))
            .map(e -> e.payload(AgentOutput.class)).toList();
        TurnOutputs.assertEveryUpdateOnce(outputs);
        List<Envelope> turnEnded = events.stream().filter(e -> e.type().equals("AgentTurnEnded")).toList();
        assertThat(turnEnded).hasSize(1);
        TurnOutputs.assertTheTurnEndedAfterItsContent(outputs, turnEnded.get(0).payload(AgentTurnEnded.class)
            .lastSequence());
        assertThat(events.stream().filter(e -> e.type().equals("AgentStarted"))).hasSize(1);

        // One agent, one prompt: the model got the task as a prompt in one main request, and the node recorded one
        // delivery, ended.
        FakeAnthropicServer model = stack.model().orElseThrow();
        List<RecordedRequest> prompted = model.messageRequests().stream()
            .filter(r -> !r.messages().sideRequest() && r.messages().promptText().contains(taskText))
            .toList();
        assertThat(prompted).hasSize(1);
        String nodeId = events.get(0).nodeId();
        try (Stream<Path> deliveries = Files.list(stack.nodesDir().resolve(nodeId).resolve("deliveries"))) {
            List<Path> files = deliveries.toList();
            assertThat(files).hasSize(1);
            assertThat(Files.readString(files.get(0))).contains("\"state\":\"ended\"");
        }
    }

    @Test
    void theGatewayMakesOneEventPerReportNumberAndRefusesAGap() throws Exception {
        String nodeId = "node-door-" + UUID.randomUUID().toString().substring(0, 8);
        String token = NodeTokens.newSecret();
        registerNode(nodeId, token);
        String taskId = UUID.randomUUID().toString();
        String stream = "stream-" + UUID.randomUUID();

        var first = NodeConnection.open(stack.gatewayUrl());
        first.send(new NodeMessage.Hello(nodeId, token, null, "test-node", "0"));
        var welcome = (NodeMessage.Welcome) first.next();
        // A node speaks only for a task it holds, on a command routed to it: route one, as the orchestrator would.
        publish(Envelope.causedBy(null, taskId, nodeId, null, new PermissionAnswerRequested("d1", "r1", "allow")));
        String commandId = ((NodeMessage.AnswerPermission) first.next()).commandId();
        first.send(new NodeMessage.NumberedReport(stream, 1, output(commandId, taskId, 1)));
        first.send(new NodeMessage.NumberedReport(stream, 2, output(commandId, taskId, 2)));
        first.awaitAck(stream, 2);
        first.abort();

        // The node did not see the acks (say) and sends everything again after reconnecting, then a new report.
        var second = NodeConnection.open(stack.gatewayUrl());
        second.send(new NodeMessage.Hello(nodeId, null, welcome.reconnectSecret(), "test-node", "0"));
        assertThat(second.next()).isInstanceOf(NodeMessage.Welcome.class);
        for (long number = 1; number <= 3; number++) {
            second.send(new NodeMessage.NumberedReport(stream, number, output(commandId, taskId, number)));
        }
        second.awaitAck(stream, 3);

        // A gap (report 4 never arrived) is not taken: the gateway closes, so the node resends from its oldest.
        second.send(new NodeMessage.NumberedReport(stream, 5, output(commandId, taskId, 5)));
        await("the gateway closes on a gap").atMost(Duration.ofSeconds(20)).until(second.closed::isDone);

        await("three events on Kafka").atMost(Duration.ofSeconds(30)).until(() -> distinctEvents(
            KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.NODE_REPORTS).stream()
                .filter(r -> taskId.equals(r.event().taskId())).toList()).size() >= 3);
        List<Envelope> events = distinctEvents(KafkaTopics.readAll(stack.kafka().bootstrapServers(),
            Topics.NODE_REPORTS).stream().filter(r -> taskId.equals(r.event().taskId())).toList());
        assertThat(events).extracting(e -> e.payload(AgentOutput.class).sequence()).containsExactly(1L, 2L, 3L);
    }

    private static NodeMessage.AgentOutputReport output(String commandId, String taskId, long sequence) {
        return new NodeMessage.AgentOutputReport(commandId, taskId, "session-door", sequence, "agent_message_chunk",
            Json.MAPPER.createObjectNode().put("sessionUpdate", "agent_message_chunk").put("n", sequence));
    }

    /** Registers a node with the gateway as the provisioner would: NodeRegistered with the token's hash. */
    private static void registerNode(String nodeId, String token) throws Exception {
        publish(Envelope.forNode(new NodeRegistered("test", NodeTokens.sha256Hex(token),
            java.time.Instant.now().plus(Duration.ofMinutes(10))), nodeId, null));
    }

    private static void publish(Envelope event) throws Exception {
        KafkaTopics.publish(stack.kafka().bootstrapServers(), event);
    }

    /** A hand-driven node connection: frames from the gateway arrive in {@link #next}. */
    private static final class NodeConnection implements WebSocket.Listener {
        private final BlockingQueue<NodeMessage> frames = new LinkedBlockingQueue<>();
        private final StringBuilder frame = new StringBuilder();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private WebSocket socket;

        static NodeConnection open(String url) throws Exception {
            var connection = new NodeConnection();
            connection.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(url), connection).get(10, TimeUnit.SECONDS);
            return connection;
        }

        void send(NodeMessage message) throws Exception {
            socket.sendText(NodeProtocol.encode(message), true).get(10, TimeUnit.SECONDS);
        }

        NodeMessage next() throws InterruptedException {
            NodeMessage message = frames.poll(30, TimeUnit.SECONDS);
            assertThat(message).as("a frame from the gateway").isNotNull();
            return message;
        }

        /**
         * Reads acks until one covers {@code upTo}: acks are cumulative, and the gateway may answer reports that
         * arrived together with one ack for the last of them; each is higher than the one before and none goes beyond
         * {@code upTo}.
         */
        void awaitAck(String stream, long upTo) throws InterruptedException {
            long acked = 0;
            while (acked < upTo) {
                NodeMessage message = next();
                assertThat(message).isInstanceOf(NodeMessage.Ack.class);
                NodeMessage.Ack ack = (NodeMessage.Ack) message;
                assertThat(ack.stream()).isEqualTo(stream);
                assertThat(ack.upTo()).as("acks grow, up to " + upTo).isGreaterThan(acked).isLessThanOrEqualTo(upTo);
                acked = ack.upTo();
            }
        }

        void abort() {
            socket.abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                frames.add(NodeProtocol.decode(frame.toString()));
                frame.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(null);
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
