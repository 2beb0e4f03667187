package dev.handoff.vmagent.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.contracts.node.NodeMessage.Hello;
import dev.handoff.contracts.node.NodeMessage.Welcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCredentialsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path work;

    @Test
    void aKeptSecretIsReadableByItsOwnerOnlyAndOnlyForItsNode() throws Exception {
        var credentials = new NodeCredentials(work, "node-1");
        assertThat(credentials.reconnectSecret()).isEmpty();

        credentials.keep("secret-1");
        credentials.keep("secret-2");

        assertThat(Files.getPosixFilePermissions(credentials.file()))
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new NodeCredentials(work, "node-1").reconnectSecret()).contains("secret-2");
        assertThat(new NodeCredentials(work, "node-2").reconnectSecret()).isEmpty();
        assertThat(credentials.toString()).doesNotContain("secret");
        try (var files = Files.list(work)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(NodeCredentials.FILE_NAME);
        }
    }

    @Test
    void aFileOthersCouldReadIsNarrowedToTheOwner() throws Exception {
        new NodeCredentials(work, "node-1").keep("secret-1");
        Path file = work.resolve(NodeCredentials.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(new NodeCredentials(work, "node-1").reconnectSecret()).contains("secret-1");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aRestartedClientSaysHelloWithTheSecretItsPredecessorKept() throws Exception {
        var gateway = FakeGateway.startOnRandomPort();
        var outbound = new OutboundQueue();
        outbound.start();
        try {
            var identity = new NodeIdentity("node-1", "tok-1", "host-1", "test");
            var backoff = new ReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
            var first = new GatewayClient(gateway.url(), identity, outbound, command -> { }, backoff,
                new NodeCredentials(work, "node-1"));
            CompletableFuture.runAsync(first::runUntilRefusedOrStopped);
            await().atMost(WAIT).until(() -> gateway.messagesOn(0).size() == 1);
            assertThat(gateway.messagesOn(0).get(0)).isEqualTo(new Hello("node-1", "tok-1", null, "host-1", "test"));
            gateway.send(0, new Welcome("node-1", "secret-1"));
            await().atMost(WAIT).until(() -> new NodeCredentials(work, "node-1").reconnectSecret()
                .equals(java.util.Optional.of("secret-1")));
            first.stop();

            var restarted = new GatewayClient(gateway.url(), identity, outbound, command -> { }, backoff,
                new NodeCredentials(work, "node-1"));
            CompletableFuture.runAsync(restarted::runUntilRefusedOrStopped);
            await().atMost(WAIT).until(() -> gateway.connectionCount() == 2 && gateway.messagesOn(1).size() == 1);
            assertThat(gateway.messagesOn(1).get(0))
                .isEqualTo(new Hello("node-1", null, "secret-1", "host-1", "test"));
            restarted.stop();
        } finally {
            outbound.close();
            gateway.close();
        }
    }
}
