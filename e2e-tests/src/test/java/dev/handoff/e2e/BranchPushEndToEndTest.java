package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The work comes back as a branch: the agent writes a file, its turn ends, the node commits everything on
 * {@code handoff/<task slug>-<id>} and pushes it to the project's repository (a real bare repository), and the task
 * API and the chat say which branch and commit. Enters only through the REST API.
 */
@ExtendWith(SharedStack.class)
class BranchPushEndToEndTest {

    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void theAgentsChangesArePushedOnATaskBranchAndTheTaskAndChatSaySo() throws Exception {
        String marker = UUID.randomUUID().toString();
        String taskText = "Add a release note " + marker + " [[write-file release-note.txt Released " + marker + ".]]";
        String projectId = api.createProject("branch-push", repositoryUrl);
        JsonNode accepted = api.submitTask(projectId, taskText);
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();

        await("task " + taskId + " published").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
                JsonNode task = api.task(taskId);
                assertThat(task.path("status").asText()).as(task::toString).isNotEqualTo("failed");
                return !task.path("publishResult").isNull() && !task.path("publishResult").isMissingNode();
            });

        JsonNode task = api.task(taskId);
        assertThat(task.path("publishResult").asText()).as(task::toString).isEqualTo("pushed");
        String branch = task.path("branch").asText();
        String commit = task.path("commit").asText();
        assertThat(branch).startsWith("handoff/add-a-release-note-").endsWith("-" + taskId.substring(0, 8));
        assertThat(commit).matches("[0-9a-f]{40}");
        assertThat(task.path("pullRequestUrl").isNull()).as("a local repository is not on GitHub").isTrue();

        // The bare repository holds the branch at that commit, with the agent's file; main is untouched.
        Path bare = Path.of(URI.create(repositoryUrl));
        assertThat(git(bare, "rev-parse", "refs/heads/" + branch)).isEqualTo(commit);
        assertThat(git(bare, "show", branch + ":release-note.txt")).isEqualTo("Released " + marker + ".");
        assertThat(git(bare, "log", "-1", "--format=%an", branch)).isEqualTo("Handoff");
        assertThat(git(bare, "ls-tree", "--name-only", "main")).doesNotContain("release-note.txt");

        // The chat says where the work went.
        List<JsonNode> messages = api.messages(sessionId);
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("system");
            assertThat(m.path("data").path("kind").asText()).isEqualTo("branch_pushed");
            assertThat(m.path("data").path("branch").asText()).isEqualTo(branch);
            assertThat(m.path("data").path("commit").asText()).isEqualTo(commit);
            assertThat(m.path("content").asText()).contains(branch);
        });
    }

    private static String git(Path gitDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir=" + gitDir));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }
}
