package dev.handoff.e2e;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's door, tried from outside as an attacker would: no node gets in without its one-time token, and
 * a token that already admitted its node never admits anyone again. The real node's token is read from the
 * running vm-agent's environment (this test runs as the same user).
 */
@ExtendWith(SharedStack.class)
class NodeDoorEndToEndTest {

    private final HandoffStack stack = SharedStack.get().stack();
    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();



    @Test
    void wrongUnknownAndReusedTokensAreRefusedAndLogged() throws Exception {
        String projectId = api.createProject("door", repositoryUrl);
        String taskId = api.submitTask(projectId, "Say hello").path("taskId").asText();
        await().atMost(Duration.ofMinutes(3)).until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));
        // The shared stack may hold other tests' nodes too: this test's node is the one its task ran on.
        String nodeId = api.task(taskId).path("node").path("nodeId").asText();
        Path nodeDir = stack.nodesDir().resolve(nodeId);
        List<Path> nodesBefore;
        try (var nodes = Files.list(stack.nodesDir())) {
            nodesBefore = nodes.toList();
        }
        String realToken = tokenOfRunningNode(nodeDir);

        assertThat(hello(new NodeMessage.Hello(nodeId, "not-the-token", null, "intruder", "0")))
            .isEqualTo(new NodeMessage.Refused("wrong token"));
        assertThat(hello(new NodeMessage.Hello("node-nobody", realToken, null, "intruder", "0")))
            .isEqualTo(new NodeMessage.Refused("unknown node"));
        NodeMessage reused = hello(new NodeMessage.Hello(nodeId, realToken, null, "intruder", "0"));
        assertThat(reused).isInstanceOf(NodeMessage.Refused.class);
        assertThat(((NodeMessage.Refused) reused).reason()).startsWith("token already used");

        String gatewayLog = Files.readString(stack.logFile("vm-agent-gateway"));
        assertThat(gatewayLog).contains("node " + nodeId + " refused: wrong token")
            .contains("node " + nodeId + " refused: token already used")
            .doesNotContain(realToken);

        // The real node is still connected and serving: a second task runs on it, no new node is started.
        String second = api.submitTask(projectId, "Say hello again").path("taskId").asText();
        await().atMost(Duration.ofMinutes(2)).until(() -> api.task(second).path("status").asText().equals("turn_ended"));
        assertThat(api.task(second).path("node").path("nodeId").asText()).isEqualTo(nodeId);
        try (var nodes = Files.list(stack.nodesDir())) {
            assertThat(nodes.toList()).containsExactlyInAnyOrderElementsOf(nodesBefore);
        }
    }

    /** The vm-agent's HANDOFF_NODE_TOKEN, from /proc of the process running in the node's folder. */
    private static String tokenOfRunningNode(Path nodeDir) throws Exception {
        for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
            Path cwd;
            try {
                cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
            } catch (Exception e) {
                continue;
            }
            if (cwd.equals(nodeDir.toAbsolutePath())) {
                for (String variable : Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"))
                    .split("\0")) {
                    if (variable.startsWith("HANDOFF_NODE_TOKEN=")) {
                        return variable.substring("HANDOFF_NODE_TOKEN=".length());
                    }
                }
            }
        }
        throw new IllegalStateException("no running vm-agent in " + nodeDir);
    }

    /** Dials the gateway like a node, says hello, and returns the gateway's answer. */
    @Test
    void aConnectionThatNeverSaysHelloIsClosedAtTheHelloDeadline() throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        long opened = System.nanoTime();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(stack.gatewayUrl()), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                    closed.complete(statusCode + " " + reason);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        try {
            // The gateway's default handoff.gateway.hello-deadline is 10 s; nothing is sent on this connection.
            assertThat(closed.get(40, TimeUnit.SECONDS)).isEqualTo("1008 no hello within 10 s");
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("not before the deadline")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(9));
        } finally {
            socket.abort();
        }
        assertThat(Files.readString(stack.logFile("vm-agent-gateway"))).contains("closed: no hello within PT10S");
    }

    /**
     * One address may keep at most 32 connections open that have not said their hello (the gateway's default
     * {@code handoff.gateway.max-pending-hellos-per-address}): the 33rd is closed at once with 1008; when one of
     * the 32 goes, the door takes a new connection again (its hello is answered).
     */
    @Test
    void oneAddressCannotHoldMoreThan32ConnectionsWaitingForTheirHello() throws Exception {
        List<WebSocket> silent = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                silent.add(open(new CompletableFuture<>()));
            }
            CompletableFuture<String> closed = new CompletableFuture<>();
            WebSocket extra = open(closed);
            try {
                assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo("1008 too many connections waiting for their "
                    + "hello");
            } finally {
                extra.abort();
            }

            silent.remove(0).abort();
            await("a new connection's hello answered").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(hello(new NodeMessage.Hello("node-nobody", "no-token", null,
                    "knocking", "0"))).isInstanceOf(NodeMessage.Refused.class));
        } finally {
            silent.forEach(WebSocket::abort);
        }
        assertThat(Files.readString(stack.logFile("vm-agent-gateway")))
            .contains("connections from there are waiting for their hello");
    }

    /** A connection that sends nothing; {@code closed} gets the gateway's close status and reason. */
    private WebSocket open(CompletableFuture<String> closed) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(stack.gatewayUrl()), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                    closed.complete(statusCode + " " + reason);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
    }

    private NodeMessage hello(NodeMessage.Hello hello) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(stack.gatewayUrl()), new WebSocket.Listener() {
                private final StringBuilder frame = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    frame.append(data);
                    if (last) {
                        answer.complete(frame.toString());
                    }
                    ws.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        socket.sendText(NodeProtocol.encode(hello), true).get(10, TimeUnit.SECONDS);
        try {
            return NodeProtocol.decode(answer.get(20, TimeUnit.SECONDS));
        } finally {
            socket.abort();
        }
    }
}
