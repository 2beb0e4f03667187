package dev.handoff.vmagent.git;

import static dev.handoff.vmagent.workspace.GitFixtures.gitOutput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.node.NodeMessage.BranchPublishedReport;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.WorkspaceFailedReport;
import dev.handoff.contracts.node.NodeMessage.WorkspaceReadyReport;
import dev.handoff.contracts.node.NodeSecrets;
import dev.handoff.localstack.LocalGitHttpServer;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import dev.handoff.vmagent.publish.BranchPublisher;
import dev.handoff.vmagent.publish.PublishConfig;
import dev.handoff.vmagent.workspace.GitClone;
import dev.handoff.vmagent.workspace.GitFixtures;
import dev.handoff.vmagent.workspace.WorkspaceCreator;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private repository cloned and pushed over HTTP with a token, through the credential helper: the token reaches
 * the server, and never the workspace's remote URL, .git/config, git's command line or a report.
 */
class GitCredentialsTest {

    static final String TOKEN = "ghp_canary_4f1d9c2e7b";

    @TempDir
    Path repos;
    @TempDir
    Path work;

    private LocalGitHttpServer server;
    private WorkspacePaths paths;

    @BeforeEach
    void startServer() throws Exception {
        GitFixtures.bareRepositoryWithOneCommit(repos, "main");
        server = new LocalGitHttpServer(repos, TOKEN);
        paths = new WorkspacePaths(work);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void clonesAndPushesAPrivateRepositoryWithTheTokenKeptOutOfTheWorkspace() throws Exception {
        String url = server.url("origin.git");
        URI uri = URI.create(url);
        TokenHosts hosts = TokenHosts.parse("http://127.0.0.1:" + uri.getPort());
        var creator = new WorkspaceCreator(paths, GitFixtures.localClone(), hosts);

        var ready = creator.createWorkspace(new CreateWorkspace("cmd-1", "task-1", "ws-1", url, "main",
            new NodeSecrets(Map.of(NodeSecrets.GITHUB_TOKEN, TOKEN))));

        assertThat(ready).as(ready.toString()).isInstanceOf(WorkspaceReadyReport.class);
        Path workspace = paths.workspace("ws-1");
        assertThat(workspace.resolve("README.md")).hasContent("# fixture");
        assertThat(server.authorizations()).isNotEmpty();
        assertThat(gitOutput(workspace, "remote", "get-url", "origin")).isEqualTo(url);

        Files.writeString(workspace.resolve("fix.txt"), "fixed\n");
        PublishConfig defaults = PublishConfig.defaults();
        BranchPublishedReport published = new BranchPublisher(paths, new PublishConfig(defaults.githubApiUrl(), hosts,
            defaults.authorName(), defaults.authorEmail(), defaults.gitTimeout()), new RecordingReportSink()).publish(new StartAgent("cmd-2", "task-1", "ws-1", "d-1", "claude-code",
            "Fix it", null, null, new NodeSecrets(Map.of(NodeSecrets.GITHUB_TOKEN, TOKEN))));

        assertThat(published.result()).as(published.toString()).isEqualTo("pushed");
        assertThat(gitOutput(repos.resolve("origin.git"), "show", published.branch() + ":fix.txt")).isEqualTo("fixed");
        assertNoFileUnder(work, TOKEN);
        assertThat(published.toString()).doesNotContain(TOKEN);
    }

    @Test
    void withoutTheTokenTheCloneFailsAndItsReasonHoldsNoSecret() throws Exception {
        var creator = new WorkspaceCreator(paths, GitFixtures.localClone(),
            TokenHosts.parse("http://127.0.0.1:" + URI.create(server.url("")).getPort()));

        var withoutToken = creator.createWorkspace(new CreateWorkspace("cmd-1", "task-1", "ws-1",
            server.url("origin.git"), "main"));
        var wrongToken = creator.createWorkspace(new CreateWorkspace("cmd-2", "task-1", "ws-2",
            server.url("origin.git"), "main", new NodeSecrets(Map.of(NodeSecrets.GITHUB_TOKEN, "ghp_wrong"))));

        assertThat(withoutToken).isInstanceOf(WorkspaceFailedReport.class);
        assertThat(((WorkspaceFailedReport) withoutToken).reason()).contains("git clone failed");
        assertThat(wrongToken).isInstanceOf(WorkspaceFailedReport.class);
        assertThat(((WorkspaceFailedReport) wrongToken).reason()).doesNotContain("ghp_wrong");
    }

    @Test
    void theHelperAnswersGitsCredentialProtocolForTheRepositoryHostOnly() throws Exception {
        GitCredentials credentials = GitCredentials.forRepository("https://github.com/acme/app.git",
            Optional.of(TOKEN),
            TokenHosts.defaults());

        String forGitHub = credentialFill(credentials, "protocol=https\nhost=github.com\npath=acme/app.git\n\n");
        String forElsewhere = credentialFill(credentials, "protocol=https\nhost=evil.example\n\n");

        assertThat(forGitHub).contains("protocol=https").contains("host=github.com")
            .contains("username=x-access-token").contains("password=" + TOKEN);
        assertThat(forElsewhere).doesNotContain(TOKEN);
    }

    @Test
    void theTokenIsNeverOnGitsCommandLine() {
        GitCredentials credentials = GitCredentials.forRepository("https://github.com/acme/app.git",
            Optional.of(TOKEN),
            TokenHosts.defaults());

        List<String> command = Git.commandLine(credentials, List.of("push", "origin", "HEAD:refs/heads/handoff/x"));

        assertThat(String.join(" ", command)).doesNotContain(TOKEN)
            .contains("credential.https://github.com.helper=!f()").contains("$" + "{" + GitCredentials.TOKEN_ENV + "}");
        assertThat(credentials.environment()).containsEntry(GitCredentials.TOKEN_ENV, TOKEN);
        assertThat(credentials.toString()).doesNotContain(TOKEN);
        assertThat(credentials.redact("fatal: https://x:" + TOKEN + "@github.com")).doesNotContain(TOKEN);
        assertThat(GitCredentials.forRepository("file:///srv/app.git", Optional.of(TOKEN),
            TokenHosts.defaults()).present()).isFalse();
        assertThat(GitCredentials.forRepository("git@github.com:acme/app.git", Optional.of(TOKEN),
            TokenHosts.defaults()).present())
            .isFalse();
    }

    /** Runs {@code git credential fill} as git itself would before a request, with the helper configured. */
    private String credentialFill(GitCredentials credentials, String request) throws Exception {
        var builder = new ProcessBuilder(Git.commandLine(credentials, List.of("credential", "fill")))
            .directory(work.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().put("HOME", work.toString());
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        builder.environment().putAll(credentials.environment());
        Process git = builder.start();
        try (OutputStream stdin = git.getOutputStream()) {
            stdin.write(request.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        git.waitFor();
        return output;
    }

    private static void assertNoFileUnder(Path root, String secret) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readAllBytes(file)).as(file.toString())
                    .satisfies(bytes -> assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                        .doesNotContain(secret));
            }
        }
    }
}
