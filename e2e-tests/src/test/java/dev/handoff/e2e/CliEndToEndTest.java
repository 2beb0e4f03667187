package dev.handoff.e2e;

import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code handoff} CLI as a user runs it ({@code bin/handoff}, a separate process) against the real stack:
 * log in with a personal API token, list projects, submit a task and see the agent's reply printed as it streams,
 * exit 0 when the turn ends.
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
    }

    @Test
    void projectsListsTheUsersProjects() throws Exception {
        assumeTrue(user.get("/api/projects").status() == 200, "GET /api/projects is not in chat-service yet");
        String projectName = "cli-list-" + UUID.randomUUID().toString().substring(0, 8);
        String projectId = user.createProject(projectName, handoff.repositoryUrl());
        assertThat(handoff("login", "--url", handoff.stack().chatUrl(), "--token", user.token()).exit()).isZero();

        Run projects = handoff("projects");

        assertThat(projects.exit()).as(projects.toString()).isZero();
        assertThat(projects.out()).contains(projectId).contains(projectName);
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
