package dev.handoff.vmagent.agent;

import dev.handoff.contracts.node.NodeMessage.PromptDeliveredReport;
import dev.handoff.contracts.node.NodeMessage.SendPrompt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage.AgentStartedReport;
import dev.handoff.contracts.node.NodeMessage.AgentStoppedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.contracts.node.NodeSecrets;
import java.util.Map;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner tells its turn-end listener (the branch publisher) after each normal turn end, never after a stop. */
class AgentSessionRunnerTurnEndTest {

    @TempDir
    Path work;
    @TempDir
    Path recordDir;

    private final RecordingReportSink reports = new RecordingReportSink();
    private final List<String> toldAbout = new CopyOnWriteArrayList<>();
    /** What the listener answers: done at once unless a test holds the publish. */
    private volatile java.util.concurrent.CompletableFuture<Void> publish =
        java.util.concurrent.CompletableFuture.completedFuture(null);
    private AgentSessionRunner runner;

    @AfterEach
    void killAgents() {
        if (runner != null) {
            runner.killAllAgents();
        }
    }

    @Test
    void theListenerHearsOfTheTurnAfterTurnEndedWasReported() throws Exception {
        runner = runner("normal");

        runner.startAgent(startAgent("delivery-1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !toldAbout.isEmpty());
        assertThat(toldAbout).containsExactly("delivery-1 end_turn");
        assertThat(reports.reportsOf(TurnEndedReport.class)).hasSize(1);
    }

    @Test
    void aStoppedAgentIsNotPublished() throws Exception {
        runner = runner("busy-until-cancelled");
        runner.startAgent(startAgent("delivery-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !reports.reportsOf(AgentStartedReport.class).isEmpty());

        runner.stopAgent("delivery-1");

        assertThat(reports.reportsOf(AgentStoppedReport.class)).isEmpty();
        assertThat(toldAbout).isEmpty();
    }

    @Test
    void theAgentGetsItsApiKeyInItsEnvironmentOnlyAndNeverTheGitToken() throws Exception {
        runner = runner("normal");
        var secrets = new NodeSecrets(Map.of("anthropic_api_key", "sk-ant-canary-7", NodeSecrets.GITHUB_TOKEN,
            "ghp_canary-7"));

        runner.startAgent(new StartAgent("cmd-1", "task-1", "ws-1", "delivery-1", FakeAgents.NAME, "Add hello.txt",
            null, null, secrets));

        await().atMost(Duration.ofSeconds(30)).until(() -> !reports.reportsOf(TurnEndedReport.class).isEmpty());
        Map<String, String> env = Json.MAPPER.readValue(recordDir.resolve("env.json").toFile(),
            new TypeReference<Map<String, String>>() { });
        assertThat(env).containsEntry("ANTHROPIC_API_KEY", "sk-ant-canary-7");
        assertThat(env.values()).doesNotContain("ghp_canary-7");
        try (var files = Files.walk(work)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
                    .doesNotContain("sk-ant-canary-7").doesNotContain("ghp_canary-7");
            }
        }
    }

    @Test
    void aFollowUpWaitsUntilTheLastTurnsPublishIsDone() throws Exception {
        runner = runner("normal");
        publish = new java.util.concurrent.CompletableFuture<>();
        runner.startAgent(startAgent("delivery-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !toldAbout.isEmpty());

        var followUp = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                runner.sendPrompt(new SendPrompt("cmd-2", "task-1", "ws-1", "delivery-1", "prompt-2", FakeAgents.NAME,
                    "And now a test, please.", FakeAcpAgent.SESSION_ID, 0, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        // While the branch is still being committed, the agent gets nothing to edit files with.
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
            .until(() -> reports.reportsOf(PromptDeliveredReport.class).isEmpty());
        publish.complete(null);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> !reports.reportsOf(PromptDeliveredReport.class).isEmpty());
        followUp.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    private AgentSessionRunner runner(String mode) throws Exception {
        Files.createDirectories(work.resolve("workspaces").resolve("ws-1"));
        return new AgentSessionRunner(FakeAgents.agentsFile(mode, recordDir), new WorkspacePaths(work),
            new AgentProcessLauncher(System.getenv()), Duration.ofSeconds(30), Duration.ofSeconds(5),
            Duration.ofMinutes(30), "test", reports,
            (command, stopReason) -> {
                toldAbout.add(command.deliveryId() + " " + stopReason);
                return publish;
            });
    }

    private static StartAgent startAgent(String deliveryId) {
        return new StartAgent("cmd-1", "task-1", "ws-1", deliveryId, FakeAgents.NAME, "Add hello.txt");
    }
}
