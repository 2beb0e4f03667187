package dev.handoff.vmagent.publish;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.handoff.vmagent.workspace.GitFixtures.gitOutput;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.handoff.contracts.node.NodeMessage.BranchPublishedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeSecrets;
import dev.handoff.localstack.LocalGitHttpServer;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import dev.handoff.vmagent.git.TokenHosts;
import dev.handoff.vmagent.workspace.CloneOrigin;
import dev.handoff.vmagent.workspace.GitClone;
import dev.handoff.vmagent.workspace.GitFixtures;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole publish against a fake GitHub API (WireMock answering with GitHub's documented request and response
 * shapes). The workspace is cloned from a git server on this machine ({@code http://127.0.0.1:<port>/acme/app.git})
 * that the node is told is a GitHub host ({@code HANDOFF_GITHUB_HOSTS=http://127.0.0.1:<port>}), so it is
 * recognised as a GitHub repository and the push is real.
 */
class PullRequestPublishTest {

    static final String TOKEN = "ghp_test_token_0123456789";
    static final String TASK_ID = "5e6f7a8b-0000-4000-8000-000000000002";
    static final String BRANCH = "handoff/fix-the-login-timeout-5e6f7a8b";
    static final String CHAT_URL = "https://handoff.example.com/tasks/" + TASK_ID;

    @TempDir
    Path repos;
    @TempDir
    Path work;

    private final WireMockServer github = new WireMockServer(options().dynamicPort());
    private LocalGitHttpServer gitServer;
    private WorkspacePaths paths;
    private Path origin;
    private BranchPublisher publisher;

    @BeforeEach
    void setUp() throws Exception {
        github.start();
        origin = Files.move(GitFixtures.bareRepositoryWithOneCommit(Files.createDirectories(repos.resolve("acme")),
            "main"),
            repos.resolve("acme/app.git"));
        gitServer = LocalGitHttpServer.withoutToken(repos);
        paths = new WorkspacePaths(work);
        Path workspace = paths.workspace("ws-1");
        String url = gitServer.url("acme/app.git");
        GitFixtures.localClone().cloneBranch(url, "main", workspace, paths.agentHome("ws-1"));
        new CloneOrigin(paths).record("ws-1", url);
        Files.writeString(workspace.resolve("auth.ts"), "export const TIMEOUT = 30_000;\n");
        URI server = URI.create(url);
        var config = new PublishConfig(URI.create(github.baseUrl()),
            TokenHosts.parse("http://127.0.0.1:" + server.getPort()), "Handoff", "handoff@handoff.invalid",
            Duration.ofMinutes(1));
        publisher = new BranchPublisher(paths, config, new RecordingReportSink());
    }

    @AfterEach
    void stop() {
        github.stop();
        gitServer.close();
    }

    @Test
    void opensAPullRequestFromTheBranchToTheDefaultBranch() throws Exception {
        github.stubFor(post(urlEqualTo("/repos/acme/app/pulls")).willReturn(aResponse().withStatus(201)
            .withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody(pullRequestJson(7))));

        BranchPublishedReport report = publisher.publish(startAgent());

        assertThat(report.result()).as(report.toString()).isEqualTo("pushed");
        assertThat(report.branch()).isEqualTo(BRANCH);
        assertThat(report.pullRequestUrl()).isEqualTo("https://github.com/acme/app/pull/7");
        assertThat(report.reason()).isNull();
        assertThat(gitOutput(origin, "show", BRANCH + ":auth.ts")).isEqualTo("export const TIMEOUT = 30_000;");
        github.verify(postRequestedFor(urlEqualTo("/repos/acme/app/pulls"))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
            .withHeader("Accept", equalTo("application/vnd.github+json"))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
            .withRequestBody(equalToJson("{\"title\":\"Fix the login timeout\",\"head\":\"" + BRANCH
                + "\",\"base\":\"main\",\"body\":\"${json-unit.any-string}\"}")));
        String body = github.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertThat(body).contains("> Fix the login timeout").contains("> It is 1 s; make it 30 s.").contains(CHAT_URL);
    }

    @Test
    void aPullRequestThatAlreadyExistsForTheBranchIsFoundAndReported() throws Exception {
        github.stubFor(post(urlEqualTo("/repos/acme/app/pulls")).willReturn(aResponse().withStatus(422)
            .withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody("""
                {"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom",
                "message":"A pull request already exists for acme:%s."}],
                "documentation_url":"https://docs.github.com/rest/pulls/pulls#create-a-pull-request","status":"422"}
                """.formatted(BRANCH))));
        github.stubFor(get(urlPathEqualTo("/repos/acme/app/pulls")).willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody("[" + pullRequestJson(3) + "]")));

        BranchPublishedReport report = publisher.publish(startAgent());

        assertThat(report.result()).isEqualTo("pushed");
        assertThat(report.pullRequestUrl()).isEqualTo("https://github.com/acme/app/pull/3");
        github.verify(getRequestedFor(urlPathEqualTo("/repos/acme/app/pulls"))
            .withQueryParam("head", equalTo("acme:" + BRANCH))
            .withQueryParam("state", equalTo("open"))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void aRefusedTokenLeavesTheBranchPushedAndSaysWhyThereIsNoPullRequest() throws Exception {
        github.stubFor(post(urlEqualTo("/repos/acme/app/pulls")).willReturn(aResponse().withStatus(401)
            .withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody("{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\","
                + "\"status\":\"401\"}")));

        BranchPublishedReport report = publisher.publish(startAgent());

        assertThat(report.result()).isEqualTo("pushed");
        assertThat(report.pullRequestUrl()).isNull();
        assertThat(report.reason()).contains("401").contains("Bad credentials").doesNotContain(TOKEN);
        assertThat(gitOutput(origin, "rev-parse", BRANCH)).isEqualTo(report.commit());
    }

    @Test
    void withoutATokenTheBranchIsPushedAndNoPullRequestIsAttempted() throws Exception {
        BranchPublishedReport report = publisher.publish(new StartAgent("cmd-1", TASK_ID, "ws-1", "d-1",
            "claude-code", "Fix the login timeout"));

        assertThat(report.result()).isEqualTo("pushed");
        assertThat(report.reason()).contains("no github_token");
        assertThat(github.getAllServeEvents()).isEmpty();
    }

    @Test
    void recognisesGitHubRepositoriesByTheHostOfTheirRemoteUrl() {
        Set<String> hosts = Set.of("github.com");
        assertThat(GitHubRepository.fromRemoteUrl("https://github.com/acme/app.git", hosts))
            .contains(new GitHubRepository("acme", "app"));
        assertThat(GitHubRepository.fromRemoteUrl("https://github.com/acme/app", hosts))
            .contains(new GitHubRepository("acme", "app"));
        assertThat(GitHubRepository.fromRemoteUrl("git@github.com:acme/app.git", hosts))
            .contains(new GitHubRepository("acme", "app"));
        assertThat(GitHubRepository.fromRemoteUrl("ssh://git@github.com/acme/app.git", hosts))
            .contains(new GitHubRepository("acme", "app"));
        assertThat(GitHubRepository.fromRemoteUrl("https://gitlab.com/acme/app.git", hosts)).isEmpty();
        assertThat(GitHubRepository.fromRemoteUrl("file:///srv/git/app.git", hosts)).isEmpty();
        assertThat(GitHubRepository.fromRemoteUrl("https://github.com/acme/app/tree/main", hosts)).isEmpty();
        assertThat(GitHubRepository.fromRemoteUrl("https://git.corp.example/acme/app.git",
            Set.of("git.corp.example"))).contains(new GitHubRepository("acme", "app"));
    }

    private static StartAgent startAgent() {
        return new StartAgent("cmd-1", TASK_ID, "ws-1", "d-1", "claude-code",
            "Fix the login timeout\nIt is 1 s; make it 30 s.", null, CHAT_URL,
            new NodeSecrets(Map.of(NodeSecrets.GITHUB_TOKEN, TOKEN)));
    }

    /** The fields of GitHub's pull request object that Handoff reads, in GitHub's shape (abridged). */
    private static String pullRequestJson(int number) {
        return """
            {"url":"https://api.github.com/repos/acme/app/pulls/%1$d","id":1%1$d,"number":%1$d,"state":"open",
             "html_url":"https://github.com/acme/app/pull/%1$d","title":"Fix the login timeout",
             "head":{"label":"acme:%2$s","ref":"%2$s","sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e"},
             "base":{"label":"acme:main","ref":"main","sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e"},
             "draft":false,"merged":false}
            """.formatted(number, BRANCH);
    }
}
