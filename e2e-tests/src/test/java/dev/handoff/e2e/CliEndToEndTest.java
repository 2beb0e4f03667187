package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code handoff} CLI as a user runs it ({@code bin/handoff}, a separate process) against the real stack:
 * log in with a personal API token, list projects, submit a task and see its steps (stderr) and the agent's reply
 * (stdout) printed as they happen, exit 0 when the turn ends.
 */
@ExtendWith(SharedStack.class)
class CliEndToEndTest {

    record Run(int exit, String out, String err) {
    }

    private final SharedStack.Running handoff = SharedStack.get();
    private final HandoffApi user = new HandoffApi(handoff.stack().chatUrl());

    @TempDir
    Path home;

    @Test
    void logInThenSubmitPrintsTheAgentsReplyUntilTheTurnEnds() throws Exception {
        Run login = handoffWithInput(user.token() + "\n", "login", "--url", handoff.stack().chatUrl());
        assertThat(login.exit()).as(login.toString()).isZero();
        assertThat(login.out()).contains("Logged in").contains(user.email());
        Path config = home.resolve(".config/handoff/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");

        Run wrongToken = handoff("login", "--url", handoff.stack().chatUrl(), "--token", "hnd_wrong");
        assertThat(wrongToken.exit()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("not signed in");

        String projectName = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String projectId = user.createProject(projectName, handoff.repositoryUrl());
        String task = "Explain this repository, from the CLI " + UUID.randomUUID();

        Run submit = handoff("submit", projectId, task);

        assertThat(submit.exit()).as(submit.toString()).isZero();
        assertThat(submit.out()).contains(ScriptedReplies.DEFAULT_PREFIX + " " + task);
        assertThat(submit.err()).contains("task ");
        // The task's steps on stderr, in the order they happened, as the web timeline names them; stdout is
        // only the agent's answer.
        List<String> steps = submit.err().lines().filter(line -> line.startsWith("[step] ")).toList();
        assertThat(steps).as(submit.err()).map(line -> line.replaceFirst("  .*", "")).containsSubsequence(
            "[step] Task created", "[step] Node ready", "[step] Workspace ready", "[step] Agent started",
            "[step] Turn ended");
        assertThat(steps).anySatisfy(line -> assertThat(line).startsWith("[step] Node ready").contains(" on "));
        assertThat(submit.out()).doesNotContain("[step]").doesNotContain("Agent started");
    }

    @Test
    void projectsListsTheUsersProjectsAndTheirTeamsProjects() throws Exception {
        String projectName = "cli-list-" + UUID.randomUUID().toString().substring(0, 8);
        String projectId = user.createProject(projectName, handoff.repositoryUrl());
        HandoffApi colleague = new HandoffApi(handoff.stack().chatUrl());
        String teamName = "cli-team-" + UUID.randomUUID().toString().substring(0, 8);
        String teamId = colleague.createTeam(teamName);
        assertThat(colleague.addTeamMember(teamId, user.email(), "member").status()).isEqualTo(201);
        String teamProjectName = "cli-team-project-" + UUID.randomUUID().toString().substring(0, 8);
        String teamProjectId = colleague.createProject(teamProjectName, handoff.repositoryUrl(), null, teamId);
        assertThat(handoff("login", "--url", handoff.stack().chatUrl(), "--token", user.token()).exit()).isZero();

        Run projects = handoff("projects");

        assertThat(projects.exit()).as(projects.toString()).isZero();
        assertThat(projects.out()).contains(projectId).contains(projectName);
        assertThat(projects.out().lines().filter(line -> line.startsWith(teamProjectId)).findFirst())
            .hasValueSatisfying(line -> assertThat(line).contains(teamProjectName).endsWith("[team " + teamName + "]"));
        Run teams = handoff("teams");
        assertThat(teams.out()).contains(teamId + "  " + teamName + "  (member)");
    }

    @Test
    void answerLetsTheWaitingAgentGoOnAndSayGetsTheFollowUpsAnswer() throws Exception {
        assertThat(handoff("login", "--url", handoff.stack().chatUrl(), "--token", user.token()).exit()).isZero();
        String projectId = user.createProject("cli-ask-" + UUID.randomUUID().toString().substring(0, 8),
            handoff.repositoryUrl(), "ask");
        JsonNode accepted = user.submitTask(projectId, "Note it from the CLI " + UUID.randomUUID()
            + " [[write-file cli-note.txt Written after the CLI answered.]]");
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        // The agent waits for the user: its permission request is in the chat.
        JsonNode[] request = new JsonNode[1];
        await("the permission request").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
            .until(() -> {
                request[0] = user.messages(sessionId).stream()
                    .filter(m -> m.path("role").asText().equals("permission")).findFirst().orElse(null);
                return request[0] != null;
            });
        String requestId = request[0].path("data").path("requestId").asText();
        String allowOnce = null;
        for (JsonNode option : request[0].path("data").path("options")) {
            if (option.path("kind").asText().equals("allow_once")) {
                allowOnce = option.path("optionId").asText();
            }
        }
        assertThat(allowOnce).as("an allow_once option in " + request[0]).isNotNull();

        Run answer = handoff("answer", taskId, requestId, allowOnce);

        assertThat(answer.exit()).as(answer.toString()).isZero();
        await("the turn after the answer").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
            .until(() -> user.task(taskId).path("status").asText().equals("turn_ended"));
        assertThat(user.messages(sessionId)).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("tool");
            assertThat(m.path("content").asText()).contains("cli-note.txt");
            assertThat(m.path("data").path("status").asText()).isEqualTo("completed");
        });

        String followUp = "FOLLOW-UP from the CLI " + UUID.randomUUID();
        Run say = handoff("say", sessionId, followUp);

        assertThat(say.exit()).as(say.toString()).isZero();
        assertThat(say.out()).contains(ScriptedReplies.DEFAULT_PREFIX + " " + followUp);
        assertThat(say.err()).as("only the follow-up's steps").doesNotContain("Node ready").contains("[step] ");
    }

    private Run handoff(String... args) throws Exception {
        return handoffWithInput("", args);
    }

    private Run handoffWithInput(String input, String... args) throws Exception {
        Path root = Path.of(System.getProperty("handoff.root"));
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/handoff").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Path in = Files.writeString(Files.createTempFile(home, "in", ".txt"), input);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
            .redirectError(err.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("XDG_CONFIG_HOME");
        builder.environment().remove("HANDOFF_URL");
        builder.environment().remove("HANDOFF_TOKEN");
        Process process = builder.start();
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("handoff " + String.join(" ", args) + " did not finish: "
                + Files.readString(out));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }
}
