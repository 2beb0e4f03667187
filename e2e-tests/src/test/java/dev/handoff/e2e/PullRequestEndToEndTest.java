package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalGitHttpServer;
import dev.handoff.localstack.LocalGitRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole way from a stored GitHub token to a pull request: the user stores {@code github_token} through the
 * settings API; the project's repository is private (a git server over HTTP that demands that token, standing in
 * for github.com: the node is told {@code HANDOFF_GITHUB_HOSTS=http://127.0.0.1:<its port>}); the gateway hands the
 * token to the node, which clones and pushes with it through the credential helper and opens the pull request
 * through the GitHub API (WireMock, GitHub's request and response shapes). The task API and the chat show the pull
 * request. And where the token must not go (issue 11 item 6): an attacker's git server on another port, which
 * challenges every request and records what it is sent, is never offered the token, neither as a team project's
 * new URL nor through a workspace's rewritten {@code .git/config}.
 */
@ExtendWith(SharedStack.class)
@SharedStack.ReconfiguresAtRunTime
class PullRequestEndToEndTest {

    private static final String TOKEN = "ghp_e2e_" + UUID.randomUUID().toString().replace("-", "");

    private static HandoffStack stack;
    private static HandoffApi api;
    private static LocalGitHttpServer git;
    private static WireMockServer github;
    private static Path repositories;
    private static LocalGitHttpServer attacker;

    @BeforeAll
    static void start() throws Exception {
        Path work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve("pull-request-" + UUID.randomUUID().toString().substring(0, 8));
        repositories = work.resolve("git");
        LocalGitRepository.bareRepositoryWithProject(repositories.resolve("acme"));
        git = new LocalGitHttpServer(repositories, TOKEN);
        Path attackerRepositories = work.resolve("attacker");
        LocalGitRepository.bareRepositoryWithProject(attackerRepositories.resolve("acme"));
        attacker = new LocalGitHttpServer(attackerRepositories, "what-the-attacker-hopes-for");
        github = new WireMockServer(options().dynamicPort());
        github.start();
        github.stubFor(post(urlEqualTo("/repos/acme/app/pulls")).willReturn(aResponse().withStatus(201)
            .withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody("""
                {"url":"https://api.github.com/repos/acme/app/pulls/42","id":4242,"number":42,"state":"open",
                 "html_url":"https://github.com/acme/app/pull/42","title":"Add a changelog entry",
                 "head":{"ref":"handoff/x","sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e"},
                 "base":{"ref":"main","sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e"},"draft":false}
                """)));
        stack = SharedStack.get().stack();
        // The nodes reach "GitHub" at WireMock's port, known only now.
        SharedStack.get().reconfigure("provisioner-service", Map.of(
            "HANDOFF_PROVISIONER_LOCAL_PASS_ENV", "ANTHROPIC_API_KEY,HANDOFF_GITHUB_API_URL,HANDOFF_GITHUB_HOSTS,"
                + HandoffStack.REPOSITORY_POLICY_ENV,
            "HANDOFF_GITHUB_API_URL", github.baseUrl(),
            "HANDOFF_GITHUB_HOSTS", origin(git.url(""))));
        // A user of its own: no warm node yet, so its task gets a node started with these variables.
        api = new HandoffApi(stack.chatUrl());
    }

    @AfterAll
    static void stop() {
        if (github != null) {
            github.stop();
        }
        if (git != null) {
            git.close();
        }
        if (attacker != null) {
            attacker.close();
        }
    }

    /**
     * A team's owner points the team's project at their own git server; a member who stored a token submits a task
     * there. The node offers the token only to the configured GitHub host, so the attacker's server, asked for the
     * repository, is sent no credentials, and the task fails as for any private repository without access.
     */
    @Test
    void aTeamProjectMovedToItsOwnersHostIsNotOfferedAMembersToken() throws Exception {
        HandoffApi owner = new HandoffApi(stack.chatUrl());
        HandoffApi member = new HandoffApi(stack.chatUrl());
        member.token();
        String teamId = owner.createTeam("tokens-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(owner.addTeamMember(teamId, member.email(), "member").status()).isEqualTo(201);
        String projectId = owner.createProject("shared", git.url("acme/app.git"), null, teamId);
        var moved = owner.put("/api/projects/" + projectId, com.fasterxml.jackson.databind.node.JsonNodeFactory
            .instance.objectNode().put("name", "shared").put("repositoryUrl", attacker.url("acme/app.git"))
            .toString());
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(member.putSecret("github_token", TOKEN).status()).isEqualTo(204);

        String taskId = member.submitTask(projectId, "Fix it").path("taskId").asText();

        await("task " + taskId + " failed").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .until(() -> member.task(taskId).path("status").asText().equals("failed"));
        assertThat(attacker.requests()).as("the node asked the owner's host for the repository").isNotEmpty();
        assertThat(attacker.authorizations()).as("credentials the owner's host was sent").isEmpty();
    }

    /**
     * The workspace's {@code .git/config} is rewritten between two turns, as the agent's shell could (origin, push
     * URL, {@code insteadOf}, {@code pushInsteadOf}, a proxy, all at the attacker's server, and a helper that would
     * store the token); the test writes it on the node's disk (the real agent, told to run these commands, is held
     * back by Claude Code's own auto mode). The next turn's work is still pushed to where the workspace was cloned
     * from, with the token, a pull request opens, and the attacker's server hears nothing.
     */
    @Test
    void aGitConfigTheAgentWritesDoesNotRedirectThePushOrItsToken() throws Exception {
        HandoffApi user = new HandoffApi(stack.chatUrl());
        assertThat(user.putSecret("github_token", TOKEN).status()).isEqualTo(204);
        String legit = git.url("acme/app.git");
        String evil = attacker.url("acme/app.git");
        String projectId = user.createProject("hostile-config", legit);
        JsonNode accepted = user.submitTask(projectId, "Look around");
        String taskId = accepted.path("taskId").asText();
        await("first turn published").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
                JsonNode task = user.task(taskId);
                assertThat(task.path("status").asText()).as(task::toString).isNotEqualTo("failed");
                return task.path("publishResult").isTextual();
            });
        Path workspace = workspaceOf(user.task(taskId));
        for (List<String> setting : List.of(List.of("remote.origin.url", evil), List.of("remote.origin.pushurl", evil),
            List.of("http.proxy", origin(evil)), List.of("url." + evil + ".insteadOf", legit),
            List.of("url." + evil + ".pushInsteadOf", legit), List.of("credential.helper", "store"))) {
            gitIn(workspace.resolve(".git"), "config", setting.get(0), setting.get(1));
        }
        // The attacker's server is shared by this class's tests (the team project's clone asks it, as it should).
        int requestsBefore = attacker.requests().size();

        assertThat(user.sendFollowUp(accepted.path("sessionId").asText(),
            "Now the changelog [[write-file CHANGELOG.md Pushed where it was cloned from.]]").status()).isEqualTo(202);

        await("second turn published").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .until(() -> List.of("pushed", "failed").contains(user.task(taskId).path("publishResult").asText()));
        JsonNode task = user.task(taskId);
        assertThat(attacker.authorizations()).as("credentials the attacker's server was sent").isEmpty();
        assertThat(attacker.requests().subList(requestsBefore, attacker.requests().size()))
            .as("requests to the attacker's server").isEmpty();
        assertThat(task.path("publishResult").asText()).as(task::toString).isEqualTo("pushed");
        assertThat(gitIn(repositories.resolve("acme/app.git"), "show", task.path("branch").asText() + ":CHANGELOG.md"))
            .isEqualTo("Pushed where it was cloned from.");
        await("pull request").atMost(Duration.ofSeconds(30))
            .until(() -> user.task(taskId).path("pullRequestUrl").isTextual());
        assertThat(filesUnder(stack.nodesDir().resolve(task.path("node").path("nodeId").asText())).stream()
            .filter(f -> contains(f, TOKEN)).toList()).as("node files holding the token (a storing helper)").isEmpty();
    }

    /** The task's workspace on its node's disk: the work tree whose HEAD is the task's branch. */
    private static Path workspaceOf(JsonNode task) throws IOException {
        String branch = task.path("branch").asText();
        assertThat(branch).as(task.toString()).startsWith("handoff/");
        try (Stream<Path> heads = Files.walk(stack.nodesDir().resolve(task.path("node").path("nodeId").asText()), 8)) {
            return heads.filter(p -> p.getFileName().toString().equals("HEAD") && p.getParent().endsWith(".git"))
                .filter(p -> contains(p, "refs/heads/" + branch)).map(p -> p.getParent().getParent()).findFirst()
                .orElseThrow(() -> new AssertionError("no work tree on branch " + branch));
        }
    }

    /** {@code http://127.0.0.1:<port>} of a URL. */
    private static String origin(String url) {
        java.net.URI uri = java.net.URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    @Test
    void aTaskOnAPrivateGitHubRepositoryEndsWithItsPullRequest() throws Exception {
        assertThat(api.putSecret("github_token", TOKEN).status()).isEqualTo(204);
        String projectId = api.createProject("private", git.url("acme/app.git"));
        JsonNode accepted = api.submitTask(projectId,
            "Add a changelog entry\n[[write-file CHANGELOG.md Fixed the login timeout.]]");
        String taskId = accepted.path("taskId").asText();

        await("task " + taskId + " published").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
                JsonNode task = api.task(taskId);
                assertThat(task.path("status").asText()).as(task::toString).isNotEqualTo("failed");
                return !task.path("publishResult").isNull() && !task.path("publishResult").isMissingNode();
            });

        JsonNode task = api.task(taskId);
        assertThat(task.path("publishResult").asText()).as(task::toString).isEqualTo("pushed");
        assertThat(task.path("pullRequestUrl").asText()).isEqualTo("https://github.com/acme/app/pull/42");
        String branch = task.path("branch").asText();
        assertThat(branch).isEqualTo("handoff/add-a-changelog-entry-" + taskId.substring(0, 8));

        // The token opened the repository (clone and push) and the GitHub API, and is kept nowhere on the node.
        Path bare = repositories.resolve("acme/app.git");
        assertThat(gitIn(bare, "show", branch + ":CHANGELOG.md")).isEqualTo("Fixed the login timeout.");
        assertThat(git.authorizations()).isNotEmpty();
        List<LoggedRequest> pulls = github.findAll(postRequestedFor(urlEqualTo("/repos/acme/app/pulls"))).stream()
            .filter(pull -> pull.getBodyAsString().contains(branch)).toList();
        assertThat(pulls).hasSize(1);
        assertThat(pulls.get(0).getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(pulls.get(0).getBodyAsString());
        assertThat(body.path("title").asText()).isEqualTo("Add a changelog entry");
        assertThat(body.path("head").asText()).isEqualTo(branch);
        assertThat(body.path("base").asText()).isEqualTo("main");
        assertThat(body.path("body").asText()).contains("Add a changelog entry")
            .contains(stack.chatUrl() + "/tasks/" + taskId);
        assertThat(filesUnder(stack.nodesDir().resolve(task.path("node").path("nodeId").asText())).stream().filter(f -> contains(f, TOKEN)).toList())
            .as("node files holding the token").isEmpty();

        List<JsonNode> messages = api.messages(accepted.path("sessionId").asText());
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("system");
            assertThat(m.path("data").path("kind").asText()).isEqualTo("pull_request");
            assertThat(m.path("data").path("pullRequestUrl").asText()).isEqualTo("https://github.com/acme/app/pull/42");
            assertThat(m.path("content").asText()).contains("https://github.com/acme/app/pull/42");
        });
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException vanished) {
            return false;
        }
    }

    private static String gitIn(Path gitDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir=" + gitDir));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }
}
