package dev.handoff.vmagent.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.Ack;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.NumberedReport;
import dev.handoff.contracts.node.NodeProtocol;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Agent text that comes faster than the gateway acknowledges it goes out joined: chunks wait while
 * {@link OutboundQueue#TEXT_SENT_UNACKED} reports wait for their ack, and the chunks of the same message that come
 * meanwhile become one report with their text in order and the last chunk's sequence. Alone, a chunk goes out at
 * once; nothing else joins or overtakes.
 */
class OutboundQueueTextRunTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final OutboundQueue queue = new OutboundQueue();
    private final RecordingSocket socket = new RecordingSocket();

    @AfterEach
    void close() {
        queue.close();
    }

    @Test
    void aChunkGoesOutAtOnceWhenTheGatewayIsKeepingUp() {
        start();
        queue.report(chunk("task-1", 1, "Hello"));
        await().atMost(WAIT).until(() -> socket.sent().size() == 1);
        queue.acknowledge(new Ack(queue.stream(), 1));
        queue.report(chunk("task-1", 2, " world"));
        await().atMost(WAIT).until(() -> socket.sent().size() == 2);

        assertThat(socket.sent()).extracting(NumberedReport::number).containsExactly(1L, 2L);
        assertThat(socket.sent()).extracting(frame -> text(frame.report())).containsExactly("Hello", " world");
        assertThat(socket.sent()).extracting(frame -> sequence(frame.report())).containsExactly(1L, 2L);
    }

    @Test
    void chunksThatComeWhileReportsWaitForTheirAckGoOutAsOneReport() {
        start();
        sendAlone(chunk("task-1", 1, "c1 "), 1);
        sendAlone(chunk("task-1", 2, "c2 "), 2);
        for (int i = 3; i <= 10; i++) {
            queue.report(chunk("task-1", i, "c" + i + " "));
        }
        assertThat(OutboundQueue.TEXT_SENT_UNACKED).isEqualTo(2);
        assertThat(socket.sent()).hasSize(2);
        assertThat(queue.pendingCount()).isEqualTo(3);

        queue.acknowledge(new Ack(queue.stream(), 2));
        await().atMost(WAIT).until(() -> socket.sent().size() == 3);

        NumberedReport joined = socket.sent().get(2);
        assertThat(joined.number()).isEqualTo(3);
        assertThat(text(joined.report())).isEqualTo("c3 c4 c5 c6 c7 c8 c9 c10 ");
        assertThat(sequence(joined.report())).isEqualTo(10);
        assertThat(((AgentOutputReport) joined.report()).fromSequence()).isEqualTo(3);
        assertThat(((AgentOutputReport) joined.report()).update().path("messageId").asText()).isEqualTo("m1");
    }

    @Test
    void onlyChunksOfTheSameMessageKindAndTaskJoinAndNothingJoinsAcrossAnotherReport() {
        start();
        sendAlone(chunk("task-1", 1, "a"), 1);
        sendAlone(chunk("task-1", 2, "b"), 2);
        queue.report(chunk("task-1", 3, "c"));
        queue.report(chunk("task-2", 1, "x"));            // another task's run, its own entry
        queue.report(chunk("task-1", 4, "d"));            // joins task-1's run
        queue.report(chunk("task-2", 2, "y"));            // joins task-2's run
        queue.report(withMessageId(chunk("task-1", 5, "e"), "m2"));   // another message
        queue.report(thought("task-1", 6, "hmm"));        // another kind
        queue.report(toolCall("task-1", 7));              // not text: ends every run
        queue.report(chunk("task-2", 3, "z"));            // cannot join across the tool call
        queue.report(chunk("task-1", 9, "g"));            // not the next sequence of any run

        queue.acknowledge(new Ack(queue.stream(), 2));
        await().atMost(WAIT).until(() -> socket.sent().size() == 4);
        queue.acknowledge(new Ack(queue.stream(), 4));
        await().atMost(WAIT).until(() -> socket.sent().size() >= 6);
        queue.acknowledge(new Ack(queue.stream(), 6));
        await().atMost(WAIT).until(() -> socket.sent().size() >= 8);
        queue.acknowledge(new Ack(queue.stream(), 8));
        await().atMost(WAIT).until(() -> socket.sent().size() == 9);

        assertThat(socket.sent()).extracting(NumberedReport::number)
            .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(socket.sent().subList(2, 9)).extracting(frame -> describe(frame.report())).containsExactly(
            "task-1 4 cd", "task-2 2 xy", "task-1 5 e", "task-1 6 hmm", "task-1 7 tool", "task-2 3 z", "task-1 9 g");
    }

    /** Reports {@code chunk} and waits until it is out, so it joins nothing. */
    private void sendAlone(AgentOutputReport chunk, int sentInAll) {
        queue.report(chunk);
        await().atMost(WAIT).until(() -> socket.sent().size() == sentInAll);
    }

    private void start() {
        queue.start();
        queue.attach(socket, () -> { });
    }

    private static String describe(NodeMessage report) {
        AgentOutputReport output = (AgentOutputReport) report;
        String what = output.kind().equals("tool_call") ? "tool" : text(output);
        return output.taskId() + " " + output.sequence() + " " + what;
    }

    private static String text(NodeMessage report) {
        return ((AgentOutputReport) report).update().path("content").path("text").asText();
    }

    private static long sequence(NodeMessage report) {
        return ((AgentOutputReport) report).sequence();
    }

    static AgentOutputReport chunk(String taskId, long sequence, String text) {
        return textUpdate(taskId, sequence, "agent_message_chunk", text);
    }

    private static AgentOutputReport thought(String taskId, long sequence, String text) {
        return textUpdate(taskId, sequence, "agent_thought_chunk", text);
    }

    private static AgentOutputReport textUpdate(String taskId, long sequence, String kind, String text) {
        ObjectNode update = Json.MAPPER.createObjectNode().put("sessionUpdate", kind).put("messageId", "m1");
        update.putObject("content").put("type", "text").put("text", text);
        return new AgentOutputReport("cmd-" + taskId, taskId, "session-" + taskId, sequence, kind, update);
    }

    private static AgentOutputReport withMessageId(AgentOutputReport chunk, String messageId) {
        ObjectNode update = chunk.update().deepCopy();
        update.put("messageId", messageId);
        return new AgentOutputReport(chunk.commandId(), chunk.taskId(), chunk.agentSessionId(), chunk.sequence(),
            chunk.kind(), update);
    }

    private static AgentOutputReport toolCall(String taskId, long sequence) {
        ObjectNode update = Json.MAPPER.createObjectNode().put("sessionUpdate", "tool_call").put("toolCallId", "t1");
        return new AgentOutputReport("cmd-" + taskId, taskId, "session-" + taskId, sequence, "tool_call", update);
    }

    /** A connection that takes every frame at once and keeps the numbered reports, in order. */
    private static final class RecordingSocket implements WebSocket {
        private final List<NumberedReport> sent = new CopyOnWriteArrayList<>();

        List<NumberedReport> sent() {
            return sent;
        }

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            if (NodeProtocol.decode(data.toString()) instanceof NumberedReport numbered) {
                sent.add(numbered);
            }
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {
        }
    }
}
