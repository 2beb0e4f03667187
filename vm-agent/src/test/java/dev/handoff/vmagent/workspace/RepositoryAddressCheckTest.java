package dev.handoff.vmagent.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.net.RepositoryUrlPolicy;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.WorkspaceFailedReport;
import dev.handoff.contracts.node.NodeMessage.WorkspaceReadyReport;
import dev.handoff.localstack.LocalGitHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node clones only what its repository policy allows, checked on the addresses it resolved itself and held to
 * them: the control plane's own ports, loopback and metadata addresses are refused before git runs, a host name is
 * pinned to the checked address (the clone works with no DNS at all, so git never looked the name up again), and a
 * failed connection is reported in Handoff's words, not git's.
 */
class RepositoryAddressCheckTest {

    @TempDir
    Path repos;
    @TempDir
    Path work;

    private LocalGitHttpServer git;

    @BeforeEach
    void startGitServer() throws Exception {
        GitFixtures.bareRepositoryWithOneCommit(repos, "main");
        git = LocalGitHttpServer.withoutToken(repos);
    }

    @AfterEach
    void stopGitServer() {
        git.close();
    }

    @Test
    void loopbackLinkLocalAndMetadataUrlsAreRefusedBeforeGitRuns() throws Exception {
        var creator = creator(RepositoryUrlPolicy.of(List.of(), true, true, false), host -> {
            throw new UnknownHostException(host);
        });
        for (String url : List.of(git.url("origin.git"), "http://169.254.169.254/latest/meta-data/x.git",
            "http://[::1]:5432/x.git", "file://" + repos.resolve("origin.git"), repos.resolve("origin.git").toString())) {
            NodeMessage report = creator.createWorkspace(command(url));

            assertThat(report).as(url).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed -> {
                assertThat(failed.failureKind()).isEqualTo("refused");
                assertThat(failed.retryable()).isFalse();
                assertThat(failed.reason()).startsWith("this node does not clone the repository URL");
            });
        }
        assertThat(git.requests()).isEmpty();
    }

    @Test
    void aHostThatResolvesIntoARefusedNetworkIsRefused() throws Exception {
        var creator = creator(RepositoryUrlPolicy.of(List.of("127.0.0.0/8"), true, true, false),
            host -> new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("169.254.169.254")});

        NodeMessage report = creator.createWorkspace(command("http://repo.example.com/origin.git"));

        assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed -> assertThat(failed.reason())
            .contains("a host that resolves to a cloud metadata service address"));
    }

    @Test
    void theCloneIsPinnedToTheCheckedAddress() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        var creator = creator(RepositoryUrlPolicy.of(List.of("127.0.0.0/8"), true, true, false), host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        });
        String url = git.url("origin.git").replace("127.0.0.1", "repo.handoff-test.invalid");

        NodeMessage report = creator.createWorkspace(command(url));

        // repo.handoff-test.invalid exists nowhere but in this test's resolver: git reached the server through the pin.
        assertThat(report).isInstanceOf(WorkspaceReadyReport.class);
        assertThat(lookups).hasValue(1);
        assertThat(git.requests()).anyMatch(r -> r.startsWith("GET /origin.git/info/refs"));
    }

    @Test
    void aConnectionFailureIsReportedWithoutGitsWords() throws Exception {
        var creator = creator(RepositoryUrlPolicy.of(List.of("127.0.0.0/8"), true, true, false), RepositoryUrlPolicy.DNS);
        try (ServerSocket database = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread speaker = daemon(() -> answerLikeADatabase(database));
            NodeMessage report = creator.createWorkspace(
                command("http://127.0.0.1:" + database.getLocalPort() + "/x.git"));
            speaker.interrupt();

            assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed -> assertThat(failed.reason())
                .isIn("git clone failed: could not reach the repository host",
                    "git clone failed: the repository URL is not one git can clone",
                    "git clone failed: git exited with code 128"));
        }
        try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = closed.getLocalPort();
            closed.close();
            NodeMessage report = creator.createWorkspace(command("http://127.0.0.1:" + port + "/x.git"));
            assertThat(report).isInstanceOfSatisfying(WorkspaceFailedReport.class, failed -> assertThat(failed.reason())
                .isEqualTo("git clone failed: could not reach the repository host"));
        }
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (ServerSocket redirector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            daemon(() -> redirectTo(redirector, git.url("origin.git")));
            var creator = creator(RepositoryUrlPolicy.of(List.of("127.0.0.0/8"), true, true, false),
                RepositoryUrlPolicy.DNS);

            NodeMessage report = creator.createWorkspace(
                command("http://127.0.0.1:" + redirector.getLocalPort() + "/origin.git"));

            assertThat(report).isInstanceOf(WorkspaceFailedReport.class);
            assertThat(git.requests()).isEmpty();
        }
    }

    private WorkspaceCreator creator(RepositoryUrlPolicy policy, RepositoryUrlPolicy.Resolver resolver) {
        return new WorkspaceCreator(new WorkspacePaths(work), new GitClone(Duration.ofSeconds(30), policy, resolver));
    }

    private static Thread daemon(Runnable work) {
        Thread thread = new Thread(work, "fake-server");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static CreateWorkspace command(String url) {
        return new CreateWorkspace("cmd-1", "task-1", "ws-1", url, "main");
    }

    private static void answerLikeADatabase(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.getOutputStream().write("E\u0000\u0000\u0000\u0010SFATAL\u0000\u0000".getBytes(
                    StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void redirectTo(ServerSocket server, String target) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[4096]);
                String answer = "HTTP/1.1 301 Moved Permanently\r\nLocation: " + target
                    + "/info/refs?service=git-upload-pack\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return;
            }
        }
    }
}
