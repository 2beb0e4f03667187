package dev.handoff.vmagent.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.Ack;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.Hello;
import dev.handoff.contracts.node.NodeMessage.Refused;
import dev.handoff.contracts.node.NodeMessage.Welcome;
import dev.handoff.contracts.node.NodeMessage.WorkspaceReadyReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayClientTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private FakeGateway gateway;
    private final OutboundQueue outbound = new OutboundQueue();
    private final List<NodeMessage> commands = new CopyOnWriteArrayList<>();
    private GatewayClient client;

    @BeforeEach
    void start() {
        gateway = FakeGateway.startOnRandomPort();
        outbound.start();
        client = new GatewayClient(gateway.url(), new NodeIdentity("node-1", "tok-1", "host-1", "test"), outbound,
            commands::add, new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.stop();
        outbound.close();
        gateway.close();
    }

    @Test
    void reconnectsWithTheSecretAndSendsReportsQueuedMeanwhileInOrder() {
        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(client::runUntilRefusedOrStopped);

        await().atMost(WAIT).until(() -> gateway.messagesOn(0).size() == 1);
        assertThat(gateway.messagesOn(0).get(0)).isEqualTo(new Hello("node-1", "tok-1", null, "host-1", "test"));
        assertThat(gateway.userAgents().get(0)).isEqualTo("handoff-vm-agent/test node-protocol/1");
        outbound.report(report(1));
        gateway.send(0, new Welcome("node-1", "secret-1"));
        await().atMost(WAIT).until(() -> gateway.messagesOn(0).size() == 2);
        assertThat(gateway.messagesOn(0).get(1)).isEqualTo(report(1));

        var command = new CreateWorkspace("cmd-1", "task-1", "ws-1", "file:///repo.git", "main");
        gateway.send(0, command);
        await().atMost(WAIT).until(() -> commands.contains(command));

        gateway.disconnect(0);
        await().atMost(WAIT).until(() -> gateway.messagesOn(1).size() == 1);
        assertThat(gateway.messagesOn(1).get(0)).isEqualTo(new Hello("node-1", null, "secret-1", "host-1", "test"));
        outbound.report(report(2));
        outbound.report(report(3));
        outbound.report(report(4));
        assertThat(outbound.pendingCount()).isEqualTo(3);
        gateway.send(1, new Welcome("node-1", "secret-2"));

        await().atMost(WAIT).until(() -> gateway.messagesOn(1).size() == 4);
        assertThat(gateway.messagesOn(1)).containsExactly(
            new Hello("node-1", null, "secret-1", "host-1", "test"), report(2), report(3), report(4));
        assertThat(exitCode).isNotDone();

        client.stop();
        await().atMost(WAIT).until(exitCode::isDone);
        assertThat(exitCode.join()).isEqualTo(GatewayClient.EXIT_STOPPED);
    }

    @Test
    void reportsUnackedAtDisconnectAreResentInOrderAfterTheNextWelcomeAndAckedOnesAreNot() {
        gateway.holdAcks();
        gateway.answerHellosWith(hello -> new Welcome("node-1", "secret-1"));
        CompletableFuture.runAsync(client::runUntilRefusedOrStopped);
        for (long sequence = 1; sequence <= 5; sequence++) {
            outbound.report(report(sequence));
        }
        await().atMost(WAIT).until(() -> gateway.numbered().size() == 5);
        // On a loaded machine a first connection attempt can time out on the client's side after the server took
        // it; the reports then came on a later connection, so the test talks to the one they came on.
        int first = gateway.numbered().get(0).connection();
        assertThat(gateway.numbered()).allMatch(frame -> frame.connection() == first);
        gateway.send(first, new Ack(outbound.stream(), 2));
        await().atMost(WAIT).until(() -> outbound.pendingCount() == 3);

        gateway.disconnect(first);

        await().atMost(WAIT).until(() -> gateway.numbered().stream().filter(f -> f.connection() > first).count() == 3);
        int second = gateway.numbered().get(5).connection();
        assertThat(gateway.numbered().subList(5, 8)).containsExactly(
            new FakeGateway.NumberedFrame(second, 3, report(3)),
            new FakeGateway.NumberedFrame(second, 4, report(4)),
            new FakeGateway.NumberedFrame(second, 5, report(5)));
        outbound.report(report(6));
        await().atMost(WAIT).until(() -> gateway.numbered().size() == 9);
        assertThat(gateway.numbered().get(8)).isEqualTo(new FakeGateway.NumberedFrame(second, 6, report(6)));

        gateway.send(second, new Ack(outbound.stream(), 6));
        await().atMost(WAIT).until(() -> outbound.pendingCount() == 0);
        assertThat(outbound.unackedBytes()).isZero();
    }

    @Test
    void aHeartbeatGoesOutUnnumberedAfterTheWelcomeOnlyTheLatestAndIsNeverResent() {
        CompletableFuture.runAsync(client::runUntilRefusedOrStopped);
        await().atMost(WAIT).until(() -> gateway.messagesOn(0).size() == 1);
        outbound.offerUnnumbered(heartbeat(1));
        outbound.offerUnnumbered(heartbeat(2));
        outbound.report(report(1));

        gateway.send(0, new Welcome("node-1", "secret-1"));

        await().atMost(WAIT).until(() -> gateway.messagesOn(0).size() == 3);
        assertThat(gateway.messagesOn(0).subList(1, 3)).containsExactly(heartbeat(2), report(1));
        assertThat(gateway.numbered()).hasSize(1);
        gateway.disconnect(0);
        await().atMost(WAIT).until(() -> gateway.messagesOn(1).size() == 1);
        gateway.send(1, new Welcome("node-1", "secret-2"));
        outbound.offerUnnumbered(heartbeat(3));
        await().atMost(WAIT).until(() -> gateway.messagesOn(1).contains(heartbeat(3)));
        assertThat(gateway.messagesOn(1)).doesNotContain(heartbeat(2));
    }

    private static NodeMessage.Heartbeat heartbeat(long diskFree) {
        return new NodeMessage.Heartbeat(0.5, 2, 1000, 500, diskFree);
    }

    @Test
    void anAckForAnotherStreamIsIgnored() {
        outbound.report(report(1));

        outbound.acknowledge(new Ack("some-older-process", 1));

        assertThat(outbound.pendingCount()).isEqualTo(1);
    }

    @Test
    void agentOutputBeyondTheBoundWaitsForAcksWhileOtherReportsAreAlwaysTaken() {
        var bounded = new OutboundQueue(600);
        bounded.report(report(1));
        bounded.report(report(2));
        long keptBytes = bounded.unackedBytes();
        assertThat(keptBytes).isLessThanOrEqualTo(600);

        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> bounded.report(report(3)));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !third.isDone());
        bounded.report(new WorkspaceReadyReport("cmd-0", "task-1", "ws-1", "/w/ws-1"));
        assertThat(bounded.pendingCount()).isEqualTo(3);

        bounded.acknowledge(new Ack(bounded.stream(), 2));

        await().atMost(WAIT).until(third::isDone);
        assertThat(bounded.pendingCount()).isEqualTo(2);
        bounded.close();
    }

    @Test
    void keepsRetryingWhileTheGatewayIsUnreachable() throws InterruptedException {
        var unreachable = FakeGateway.startOnRandomPort();
        var url = unreachable.url();
        unreachable.close();
        client = new GatewayClient(url, new NodeIdentity("node-1", "tok-1", "host-1", "test"), outbound,
            commands::add, new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));

        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(client::runUntilRefusedOrStopped);

        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> !exitCode.isDone());
        client.stop();
        await().atMost(WAIT).until(exitCode::isDone);
        assertThat(exitCode.join()).isEqualTo(GatewayClient.EXIT_STOPPED);
    }

    @Test
    void aRefusedTokenEndsTheLoopWithExitCode3() {
        gateway.answerHellosWith(hello -> new Refused("unknown token"));

        int exitCode = CompletableFuture.supplyAsync(client::runUntilRefusedOrStopped)
            .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();

        assertThat(exitCode).isEqualTo(GatewayClient.EXIT_REFUSED);
        assertThat(gateway.connectionCount()).isEqualTo(1);
    }

    @Test
    void aRefusedReconnectAlsoEndsTheLoopWithExitCode3() {
        gateway.answerHellosWith(hello -> hello.token() != null
            ? new Welcome("node-1", "secret-1")
            : new Refused("reconnect secret expired"));
        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(client::runUntilRefusedOrStopped);
        outbound.report(report(1));
        await().atMost(WAIT).until(() -> gateway.messagesOn(0).contains(report(1)));

        gateway.disconnect(0);

        await().atMost(WAIT).until(exitCode::isDone);
        assertThat(exitCode.join()).isEqualTo(GatewayClient.EXIT_REFUSED);
        assertThat(gateway.messagesOn(1)).containsExactly(new Hello("node-1", null, "secret-1", "host-1", "test"));
    }

    @Test
    void anOversizedToolUpdateIsShortenedUnderTheWelcomesFrameLimitWithANoteAndTheStreamGoesOn() {
        gateway.readFramesUpTo(64 * 1024);
        gateway.answerHellosWith(hello -> new Welcome("node-1", "secret-1", 64 * 1024));
        outbound.report(bigToolUpdate(1, 300_000));
        outbound.report(report(2));
        CompletableFuture.runAsync(client::runUntilRefusedOrStopped);

        await().atMost(WAIT).until(() -> gateway.numbered().size() == 2);
        assertThat(gateway.connectionCount()).as("never closed for a too big frame").isEqualTo(1);
        AgentOutputReport shortened = (AgentOutputReport) gateway.numbered().get(0).report();
        String newText = shortened.update().path("content").get(0).path("newText").asText();
        assertThat(newText).startsWith("line 1\n").contains("[Handoff shortened this output: ")
            .contains("frame limit of 64 KiB]");
        assertThat(shortened.update().path("toolCallId").asText()).isEqualTo("tool-1");
        assertThat(shortened.sequence()).isEqualTo(1);
        assertThat(gateway.numbered().get(1).report()).isEqualTo(report(2));
        await().atMost(WAIT).until(() -> outbound.pendingCount() == 0);
    }

    @Test
    void aGatewayThatClosesWith1009GetsTheReportShortenedFurtherNotTheSameFrameAgain() {
        // The Welcome promises 512 KiB, but something in between reads only 100 KiB.
        gateway.readFramesUpTo(100 * 1024);
        gateway.answerHellosWith(hello -> new Welcome("node-1", "secret-1", 512 * 1024));
        outbound.report(bigToolUpdate(1, 300_000));
        outbound.report(report(2));
        CompletableFuture.runAsync(client::runUntilRefusedOrStopped);

        await().atMost(WAIT).until(() -> gateway.numbered().size() == 2);
        // 300 KB -> fitted under 150 KB (1009 again) -> under 75 KB: each close halves the limit, never a loop.
        assertThat(gateway.connectionCount()).as("1009 closes before it fits").isEqualTo(3);
        assertThat(gateway.numbered()).extracting(FakeGateway.NumberedFrame::number).containsExactly(1L, 2L);
        assertThat(((AgentOutputReport) gateway.numbered().get(0).report()).update().toString())
            .contains("[Handoff shortened this output: ");
        assertThat(outbound.maxFrameBytes()).isLessThanOrEqualTo(100 * 1024);
    }

    @Test
    void anOversizedReportToAGatewayThatNamesNoLimitDoesNotStallTheStream() {
        // A gateway from before maxFrameBytes: it reads Vert.x's default 256 KiB and says nothing. Before fitting,
        // the vm-agent resent the 300 KB report after every 1009 close (254 times in 15 s) and report 2 never came.
        gateway.readFramesUpTo(256 * 1024);
        gateway.answerHellosWith(hello -> new Welcome("node-1", "secret-1"));
        outbound.report(bigToolUpdate(1, 300_000));
        outbound.report(report(2));
        CompletableFuture.runAsync(client::runUntilRefusedOrStopped);

        await().atMost(WAIT).until(() -> gateway.numbered().stream().anyMatch(f -> f.number() == 2));
        assertThat(gateway.connectionCount()).isEqualTo(1);
    }

    /** A tool call update whose diff's new text is {@code chars} long, as an agent writing a big file sends. */
    static AgentOutputReport bigToolUpdate(long sequence, int chars) {
        StringBuilder text = new StringBuilder();
        for (int line = 1; text.length() < chars; line++) {
            text.append("line ").append(line).append('\n');
        }
        var update = Json.MAPPER.createObjectNode().put("sessionUpdate", "tool_call_update")
            .put("toolCallId", "tool-1").put("status", "completed");
        update.putArray("content").addObject().put("type", "diff").put("path", "/w/big.txt").putNull("oldText")
            .put("newText", text.toString());
        return new AgentOutputReport("cmd-1", "task-1", "session-1", sequence, "tool_call_update", update);
    }

    private static AgentOutputReport report(long sequence) {
        return new AgentOutputReport("cmd-1", "task-1", "session-1", sequence, "agent_message_chunk",
            Json.MAPPER.createObjectNode().put("sessionUpdate", "agent_message_chunk").put("text", "chunk " + sequence));
    }
}
