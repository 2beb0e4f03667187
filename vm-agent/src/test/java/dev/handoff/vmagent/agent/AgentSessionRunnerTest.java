package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.AgentStartedReport;
import dev.handoff.contracts.node.NodeMessage.AnswerPermission;
import dev.handoff.contracts.node.NodeMessage.PermissionRequestedReport;
import dev.handoff.contracts.node.NodeMessage.PromptDeliveredReport;
import dev.handoff.contracts.node.NodeMessage.SendPrompt;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** startAgentWithPrompt against {@link FakeAcpAgent} running as a real separate process. */
class AgentSessionRunnerTest {

    private static final String PROMPT = "Add a hello.txt file.\nUse \"quotes\", unicode ✓ and a trailing space ";
    private static final Duration REPORTS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    @TempDir
    Path work;
    @TempDir
    Path recordDir;

    private final RecordingReportSink reports = new RecordingReportSink();
    private AgentSessionRunner runner;
    private Path workspace;

    @BeforeEach
    void createWorkspace() throws IOException {
        workspace = Files.createDirectories(work.resolve("workspaces").resolve("ws-1"));
    }

    @AfterEach
    void killAgents() {
        if (runner != null) {
            runner.killAllAgents();
        }
    }

    @Test
    void startsTheAgentDeliversThePromptAndRelaysTheTurnInOrder() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));

        runner.startAgent(startAgent("cmd-1", "delivery-1"));

        awaitReport(TurnEndedReport.class);
        List<NodeMessage> all = reports.reports();
        assertThat(all.get(0)).isEqualTo(new AgentStartedReport("cmd-1", "task-1", "delivery-1",
            FakeAcpAgent.SESSION_ID, FakeAgents.NAME));
        List<AgentOutputReport> outputs = all.subList(1, all.size() - 1).stream()
            .map(AgentOutputReport.class::cast).toList();
        assertThat(outputs).extracting(AgentOutputReport::sequence)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, outputs.size()).boxed().toList());
        assertThat(outputs).extracting(AgentOutputReport::kind).containsExactly(
            "available_commands_update", "agent_message_chunk", "tool_call", "tool_call_update", "brand_new_kind");
        assertThat(outputs).allSatisfy(output -> {
            assertThat(output.agentSessionId()).isEqualTo(FakeAcpAgent.SESSION_ID);
            assertThat(output.commandId()).isEqualTo("cmd-1");
        });
        assertThat(outputs.get(1).update().path("content").path("text").asText()).isEqualTo("Hello");
        assertThat(outputs.get(4).update().path("detail").asInt()).isEqualTo(42);
        assertThat(all.get(all.size() - 1)).isEqualTo(new TurnEndedReport("cmd-1", "task-1",
            FakeAcpAgent.SESSION_ID, "end_turn", outputs.size()));

        assertThat(recordedPrompts()).containsExactly(PROMPT);
        assertThat(Files.readString(recordDir.resolve("cwd.txt"))).isEqualTo(workspace.toRealPath().toString());
        JsonNode permission = Json.MAPPER.readTree(recordDir.resolve("permission.json").toFile());
        assertThat(permission.path("result").path("outcome").path("outcome").asText()).isEqualTo("selected");
        assertThat(permission.path("result").path("outcome").path("optionId").asText()).isEqualTo("once");
        JsonNode fsAnswer = Json.MAPPER.readTree(recordDir.resolve("fs-answer.json").toFile());
        assertThat(fsAnswer.path("error").path("code").asInt()).isEqualTo(-32601);
    }

    @Test
    void anAgentWhoseTurnEndedStaysForItsIdleTimeThenIsEndedAndNotReportedFailed() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30), reports, Duration.ofSeconds(3));

        runner.startAgent(startAgent("cmd-1", "delivery-1"));

        awaitReport(TurnEndedReport.class);
        ProcessHandle agent = agentProcess();
        assertThat(agent.isAlive()).as("alive right after its turn, for a follow-up").isTrue();
        await("agent " + agent.pid() + " gone after its idle time").atMost(Duration.ofSeconds(15))
            .until(() -> !agent.isAlive());
        assertThat(reports.reportsOf(AgentFailedReport.class)).isEmpty();
    }

    @Test
    void aFollowUpGoesIntoTheLivingSessionOnceAndItsOutputIsNumberedOn() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30), reports, Duration.ofMinutes(5));
        runner.startAgent(startAgent("cmd-1", "delivery-1"));
        awaitReport(TurnEndedReport.class);
        long firstLast = reports.reportsOf(TurnEndedReport.class).get(0).lastSequence();

        runner.sendPrompt(sendPrompt("cmd-2", "prompt-1", 0));
        await().atMost(REPORTS_TIMEOUT).until(() -> reports.reportsOf(TurnEndedReport.class).size() == 2);
        runner.sendPrompt(sendPrompt("cmd-3", "prompt-1", 0));

        assertThat(recordedPrompts()).containsExactly(PROMPT, "And now a test, please.");
        assertThat(Files.readAllLines(recordDir.resolve("starts.txt"))).hasSize(1);
        assertThat(reports.reportsOf(PromptDeliveredReport.class)).containsExactly(
            new PromptDeliveredReport("cmd-2", "task-1", "delivery-1", "prompt-1", FakeAcpAgent.SESSION_ID,
                "continued"),
            new PromptDeliveredReport("cmd-3", "task-1", "delivery-1", "prompt-1", FakeAcpAgent.SESSION_ID,
                "continued"));
        List<NodeMessage> all = reports.reports();
        int delivered = all.indexOf(reports.reportsOf(PromptDeliveredReport.class).get(0));
        List<AgentOutputReport> secondTurn = all.subList(delivered + 1, all.size()).stream()
            .takeWhile(AgentOutputReport.class::isInstance).map(AgentOutputReport.class::cast).toList();
        assertThat(secondTurn).isNotEmpty().allSatisfy(o -> assertThat(o.commandId()).isEqualTo("cmd-2"));
        assertThat(secondTurn).extracting(AgentOutputReport::sequence).containsExactlyElementsOf(
            LongStream.rangeClosed(firstLast + 1, firstLast + secondTurn.size()).boxed().toList());
        assertThat(reports.reportsOf(TurnEndedReport.class).get(1)).isEqualTo(new TurnEndedReport("cmd-2", "task-1",
            FakeAcpAgent.SESSION_ID, "end_turn", firstLast + secondTurn.size()));
    }

    @Test
    void aFollowUpAfterTheAgentEndedStartsItAgainLoadsTheSessionAndDoesNotRelayTheReplayedHistory()
        throws Exception {
        runner = runner("normal", Duration.ofSeconds(30), reports, Duration.ofSeconds(1));
        runner.startAgent(startAgent("cmd-1", "delivery-1"));
        awaitReport(TurnEndedReport.class);
        ProcessHandle first = agentProcess();
        await().atMost(Duration.ofSeconds(15)).until(() -> !first.isAlive());
        long firstLast = reports.reportsOf(TurnEndedReport.class).get(0).lastSequence();

        runner.sendPrompt(sendPrompt("cmd-2", "prompt-1", 0));

        await().atMost(REPORTS_TIMEOUT).until(() -> reports.reportsOf(TurnEndedReport.class).size() == 2);
        assertThat(Files.readAllLines(recordDir.resolve("starts.txt"))).hasSize(2);
        assertThat(Files.readAllLines(recordDir.resolve("loads.txt"))).containsExactly(FakeAcpAgent.SESSION_ID);
        assertThat(reports.reportsOf(PromptDeliveredReport.class)).extracting(PromptDeliveredReport::how)
            .containsExactly("loaded");
        assertThat(reports.reportsOf(AgentOutputReport.class)).noneMatch(o -> o.update().toString()
            .contains("an earlier"));
        assertThat(reports.reportsOf(AgentOutputReport.class)).extracting(AgentOutputReport::sequence)
            .doesNotHaveDuplicates().isSorted();
        assertThat(reports.reportsOf(TurnEndedReport.class).get(1).lastSequence()).isGreaterThan(firstLast);
        assertThat(recordedPrompts()).containsExactly(PROMPT, "And now a test, please.");
    }

    @Test
    void aFollowUpAfterAVmAgentRestartToAnAgentThatCannotLoadOpensANewSessionNumberedAfterWhatTheControlPlaneSaw()
        throws Exception {
        runner = runner("normal-no-load", Duration.ofSeconds(30));
        runner.startAgent(startAgent("cmd-1", "delivery-1"));
        awaitReport(TurnEndedReport.class);
        runner.killAllAgents();

        var afterRestart = new RecordingReportSink();
        runner = runner("normal-no-load", Duration.ofSeconds(30), afterRestart);
        runner.sendPrompt(sendPrompt("cmd-2", "prompt-1", 40));

        await().atMost(REPORTS_TIMEOUT).until(() -> !afterRestart.reportsOf(TurnEndedReport.class).isEmpty());
        assertThat(afterRestart.reports().get(0)).isEqualTo(new PromptDeliveredReport("cmd-2", "task-1",
            "delivery-1", "prompt-1", FakeAcpAgent.SESSION_ID, "new_session"));
        assertThat(recordDir.resolve("loads.txt")).doesNotExist();
        assertThat(afterRestart.reportsOf(AgentOutputReport.class).get(0).sequence()).isEqualTo(41);
    }

    @Test
    void aPromptAcceptedButNotConfirmedBeforeARestartIsNeverWrittenAgain() throws Exception {
        new PromptLog(work.resolve("prompts")).recordAccepted("prompt-1", "delivery-1");
        runner = runner("normal", Duration.ofSeconds(30));

        runner.sendPrompt(sendPrompt("cmd-2", "prompt-1", 0));

        assertThat(reports.reports()).containsExactly(
            new AgentFailedReport("cmd-2", "task-1", "delivery-1", PromptLog.LOST_ON_RESTART));
        assertThat(recordDir.resolve("starts.txt")).doesNotExist();
    }

    @Test
    void withPolicyAskTheSessionAsksAndThePermissionRequestWaitsForTheUsersAnswer() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));

        runner.startAgent(new StartAgent("cmd-1", "task-1", "ws-1", "delivery-1", FakeAgents.NAME, PROMPT, "ask", null, null));

        awaitReport(PermissionRequestedReport.class);
        PermissionRequestedReport asked = reports.reportsOf(PermissionRequestedReport.class).get(0);
        assertThat(Files.readAllLines(recordDir.resolve("modes.txt"))).containsExactly("default");
        assertThat(asked.deliveryId()).isEqualTo("delivery-1");
        assertThat(asked.agentSessionId()).isEqualTo(FakeAcpAgent.SESSION_ID);
        assertThat(asked.toolCall().path("title").asText()).isEqualTo("Write hello.txt");
        assertThat(asked.options().findValuesAsText("optionId")).containsExactly("always", "once", "no");
        assertThat(recordDir.resolve("permission.json")).doesNotExist();
        assertThat(reports.reportsOf(TurnEndedReport.class)).isEmpty();

        runner.answerPermission(new AnswerPermission("cmd-9", "task-1", "delivery-1", asked.requestId(), "no"));
        runner.answerPermission(new AnswerPermission("cmd-10", "task-1", "delivery-1", asked.requestId(), "once"));

        awaitReport(TurnEndedReport.class);
        JsonNode permission = Json.MAPPER.readTree(recordDir.resolve("permission.json").toFile());
        assertThat(permission.path("result").path("outcome").path("outcome").asText()).isEqualTo("selected");
        assertThat(permission.path("result").path("outcome").path("optionId").asText()).isEqualTo("no");
        List<NodeMessage> all = reports.reports();
        assertThat(all.indexOf(asked)).isGreaterThan(all.indexOf(reports.reportsOf(AgentOutputReport.class).stream()
            .filter(o -> o.kind().equals("tool_call")).findFirst().orElseThrow()));
    }

    @Test
    void stoppingWhileAPermissionRequestIsPendingAnswersItCancelled() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));
        runner.startAgent(new StartAgent("cmd-1", "task-1", "ws-1", "delivery-1", FakeAgents.NAME, PROMPT, "ask", null, null));
        awaitReport(PermissionRequestedReport.class);

        runner.stopAgent("delivery-1");

        await().atMost(REPORTS_TIMEOUT).until(() -> Files.exists(recordDir.resolve("permission.json")));
        JsonNode permission = Json.MAPPER.readTree(recordDir.resolve("permission.json").toFile());
        assertThat(permission.path("result").path("outcome").path("outcome").asText()).isEqualTo("cancelled");
        assertThat(Files.readAllLines(recordDir.resolve("cancels.txt"))).containsExactly(FakeAcpAgent.SESSION_ID);
    }

    @Test
    void theAgentSeesOnlyItsOwnCleanEnvironment() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));

        runner.startAgent(startAgent("cmd-1", "delivery-1"));

        awaitReport(TurnEndedReport.class);
        Map<String, String> env = Json.MAPPER.readValue(recordDir.resolve("env.json").toFile(),
            new TypeReference<Map<String, String>>() { });
        Path home = work.resolve("agent-homes").resolve("ws-1");
        Set<String> expected = new HashSet<>(Set.of("PATH", "HOME", "TMPDIR", "CLAUDE_CONFIG_DIR", "LANG",
            "FAKE_AGENT_SETTING"));
        if (System.getenv("HANDOFF_TEST_PASSED") != null) {
            expected.add("HANDOFF_TEST_PASSED");
            assertThat(env).containsEntry("HANDOFF_TEST_PASSED", System.getenv("HANDOFF_TEST_PASSED"));
        }
        assertThat(env.keySet()).isEqualTo(expected);
        assertThat(env).containsEntry("HOME", home.toString())
            .containsEntry("TMPDIR", home.resolve("tmp").toString())
            .containsEntry("CLAUDE_CONFIG_DIR", home.resolve(".claude").toString())
            .containsEntry("LANG", "C.UTF-8")
            .containsEntry("FAKE_AGENT_SETTING", "on")
            .doesNotContainKey("HANDOFF_TEST_CANARY");
        assertThat(env.get("PATH")).endsWith(AgentEnvironment.SAFE_PATH);
        assertThat(Files.readString(home.resolve("agent-stderr.log"))).contains("fake agent: starting");
    }

    @Test
    void aDuplicateDeliveryDoesNotStartASecondAgentNorResendThePrompt() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));
        runner.startAgent(startAgent("cmd-1", "delivery-1"));
        awaitReport(TurnEndedReport.class);

        runner.startAgent(startAgent("cmd-2", "delivery-1"));

        assertThat(reports.reportsOf(AgentStartedReport.class)).containsExactly(
            new AgentStartedReport("cmd-1", "task-1", "delivery-1", FakeAcpAgent.SESSION_ID, FakeAgents.NAME),
            new AgentStartedReport("cmd-2", "task-1", "delivery-1", FakeAcpAgent.SESSION_ID, FakeAgents.NAME));
        assertThat(Files.readAllLines(recordDir.resolve("starts.txt"))).hasSize(1);
        assertThat(recordedPrompts()).containsExactly(PROMPT);
    }

    @Test
    void eachDeliveryStateIsRecordedInTheWorkDirectory() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));

        runner.startAgent(startAgent("cmd-1", "delivery-1"));

        awaitReport(TurnEndedReport.class);
        DeliveryLog.Delivery delivery = new DeliveryLog(work.resolve("deliveries")).find("delivery-1").orElseThrow();
        assertThat(delivery.state()).isEqualTo(DeliveryLog.State.ENDED);
        assertThat(delivery.agentSessionId()).isEqualTo(FakeAcpAgent.SESSION_ID);
        assertThat(delivery.stopReason()).isEqualTo("end_turn");
        assertThat(Files.readString(work.resolve("deliveries/delivery-1.json"))).contains("\"state\":\"ended\"");
        try (var files = Files.list(work.resolve("deliveries"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("delivery-1.json");
        }
    }

    @Test
    void aDeliveryRedeliveredAfterARestartWhoseAgentWasLostIsAnsweredFailedAndNeverStartedAgain() throws Exception {
        runner = runner("hang-mid-turn", Duration.ofSeconds(30));
        runner.startAgent(startAgent("cmd-1", "delivery-1"));
        awaitReport(AgentOutputReport.class);
        assertThat(new DeliveryLog(work.resolve("deliveries")).find("delivery-1").orElseThrow().state())
            .isEqualTo(DeliveryLog.State.PROMPT_DELIVERED);
        runner.killAllAgents();

        var afterRestart = new RecordingReportSink();
        runner = runner("hang-mid-turn", Duration.ofSeconds(30), afterRestart);
        runner.startAgent(startAgent("cmd-2", "delivery-1"));
        runner.startAgent(startAgent("cmd-3", "delivery-1"));

        assertThat(afterRestart.reports()).containsExactly(
            new AgentFailedReport("cmd-2", "task-1", "delivery-1", DeliveryLog.LOST_ON_RESTART, false,
                "start_failed"),
            new AgentFailedReport("cmd-3", "task-1", "delivery-1", DeliveryLog.LOST_ON_RESTART, false,
                "start_failed"));
        assertThat(Files.readAllLines(recordDir.resolve("starts.txt"))).hasSize(1);
        assertThat(recordedPrompts()).containsExactly(PROMPT);
        assertThat(new DeliveryLog(work.resolve("deliveries")).find("delivery-1").orElseThrow().state())
            .isEqualTo(DeliveryLog.State.FAILED);
    }

    @Test
    void anEndedDeliveryRedeliveredAfterARestartIsAnsweredStartedWithoutStartingAnything() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));
        runner.startAgent(startAgent("cmd-1", "delivery-1"));
        awaitReport(TurnEndedReport.class);
        runner.killAllAgents();

        var afterRestart = new RecordingReportSink();
        runner = runner("normal", Duration.ofSeconds(30), afterRestart);
        runner.startAgent(startAgent("cmd-2", "delivery-1"));

        assertThat(afterRestart.reports()).containsExactly(
            new AgentStartedReport("cmd-2", "task-1", "delivery-1", FakeAcpAgent.SESSION_ID, FakeAgents.NAME));
        assertThat(Files.readAllLines(recordDir.resolve("starts.txt"))).hasSize(1);
        assertThat(recordedPrompts()).containsExactly(PROMPT);
    }

    @Test
    void aDeliveryAcceptedButNotConfirmedBeforeARestartIsNeverStartedAgain() throws Exception {
        new DeliveryLog(work.resolve("deliveries")).recordAccepted(startAgent("cmd-1", "delivery-1"));
        runner = runner("normal", Duration.ofSeconds(30));

        runner.startAgent(startAgent("cmd-2", "delivery-1"));

        assertThat(reports.reports()).containsExactly(
            new AgentFailedReport("cmd-2", "task-1", "delivery-1", DeliveryLog.LOST_ON_RESTART, false,
                "start_failed"));
        assertThat(recordDir.resolve("starts.txt")).doesNotExist();
    }

    @Test
    void anAgentThatNeverAnswersSessionNewIsReportedFailedNotStarted() throws Exception {
        runner = runner("hang-on-session-new", Duration.ofMillis(1500));

        runner.startAgent(startAgent("cmd-1", "delivery-1"));

        assertThat(reports.reports()).singleElement().isInstanceOfSatisfying(AgentFailedReport.class, failed -> {
            assertThat(failed.deliveryId()).isEqualTo("delivery-1");
            assertThat(failed.reason()).contains("did not answer session/new within 1500 ms")
                .contains("fake agent: starting in mode hang-on-session-new");
        });
        long pid = Long.parseLong(Files.readAllLines(recordDir.resolve("starts.txt")).get(0));
        await().atMost(Duration.ofSeconds(10))
            .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
        assertThat(recordDir.resolve("prompts.txt")).doesNotExist();
    }

    @Test
    void anAgentThatExitsAtStartIsReportedWithExitCodeAndStderr() throws Exception {
        runner = runner("exit-at-start", Duration.ofSeconds(30));

        runner.startAgent(startAgent("cmd-1", "delivery-1"));

        assertThat(reports.reports()).singleElement().isInstanceOfSatisfying(AgentFailedReport.class, failed ->
            assertThat(failed.reason()).contains("exited with code 5")
                .contains("fake agent: cannot start, missing credentials"));

        runner.startAgent(startAgent("cmd-2", "delivery-1"));
        assertThat(reports.reportsOf(AgentFailedReport.class)).hasSize(2)
            .last().extracting(AgentFailedReport::commandId).isEqualTo("cmd-2");
        assertThat(Files.readAllLines(recordDir.resolve("starts.txt"))).hasSize(1);
    }

    @Test
    void anAgentThatDiesMidTurnIsReportedFailedAfterItsOutputs() throws Exception {
        runner = runner("exit-mid-turn", Duration.ofSeconds(30));

        runner.startAgent(startAgent("cmd-1", "delivery-1"));

        awaitReport(AgentFailedReport.class);
        List<NodeMessage> all = reports.reports();
        assertThat(all.get(0)).isInstanceOf(AgentStartedReport.class);
        assertThat(all.subList(1, all.size() - 1)).extracting(r -> ((AgentOutputReport) r).kind())
            .containsExactly("available_commands_update", "agent_message_chunk");
        assertThat(((AgentFailedReport) all.get(all.size() - 1)).reason())
            .contains("exited with code 7").contains("fake agent: crashed mid-turn");
        assertThat(reports.reportsOf(TurnEndedReport.class)).isEmpty();
    }

    @Test
    void anUnknownAgentOrMissingWorkspaceIsReportedFailed() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));

        runner.startAgent(new StartAgent("cmd-1", "task-1", "ws-1", "delivery-1", "no-such-agent", PROMPT));
        runner.startAgent(new StartAgent("cmd-2", "task-1", "ws-missing", "delivery-2", FakeAgents.NAME, PROMPT));
        runner.startAgent(new StartAgent("cmd-3", "task-1", "../escape", "delivery-3", FakeAgents.NAME, PROMPT));

        assertThat(reports.reportsOf(AgentFailedReport.class)).extracting(AgentFailedReport::reason).satisfiesExactly(
            reason -> assertThat(reason).contains("unknown agent 'no-such-agent'").contains("[fake]"),
            reason -> assertThat(reason).contains("workspace ws-missing does not exist"),
            reason -> assertThat(reason).contains("not a safe directory name"));
        assertThat(reports.reports()).hasSize(3);
        assertThat(recordDir.resolve("starts.txt")).doesNotExist();
    }

    @Test
    void stoppingARunningAgentSendsSessionCancelAndKillsItsWholeProcessTree() throws Exception {
        runner = runner("busy-until-cancelled", Duration.ofSeconds(30));
        runner.startAgent(startAgent("cmd-1", "delivery-1"));
        awaitReport(AgentStartedReport.class);
        ProcessHandle child = awaitChild();
        ProcessHandle agent = agentProcess();

        String how = runner.stopAgent("delivery-1");

        assertThat(how).isEqualTo("cancelled");
        assertThat(Files.readAllLines(recordDir.resolve("cancels.txt"))).containsExactly(FakeAcpAgent.SESSION_ID);
        awaitGone("the agent's child process", child);
        awaitGone("the agent process", agent);
        awaitReport(TurnEndedReport.class);
        assertThat(reports.reportsOf(TurnEndedReport.class)).extracting(TurnEndedReport::stopReason)
            .containsExactly("cancelled");
        assertThat(reports.reportsOf(AgentFailedReport.class)).isEmpty();
    }

    @Test
    void anAgentIgnoringTheCancelIsKilledAfterTheGraceAndNotReportedFailed() throws Exception {
        runner = runner("ignores-cancel", Duration.ofSeconds(30));
        runner.startAgent(startAgent("cmd-1", "delivery-1"));
        awaitReport(AgentStartedReport.class);
        ProcessHandle child = awaitChild();
        ProcessHandle agent = agentProcess();

        String how = runner.stopAgent("delivery-1");

        assertThat(how).isEqualTo("killed");
        assertThat(Files.readAllLines(recordDir.resolve("cancels.txt"))).containsExactly(FakeAcpAgent.SESSION_ID);
        awaitGone("the agent's child process", child);
        awaitGone("the agent process", agent);
        assertThat(reports.reportsOf(AgentFailedReport.class)).isEmpty();
        assertThat(reports.reportsOf(TurnEndedReport.class)).isEmpty();
    }

    @Test
    void stoppingAnUnknownOrEndedDeliveryIsHarmlessAndKeepsItFromStarting() throws Exception {
        runner = runner("normal", Duration.ofSeconds(30));

        assertThat(runner.stopAgent("never-seen")).isEqualTo("not_running");
        runner.startAgent(startAgent("cmd-1", "never-seen"));
        assertThat(reports.reports()).isEmpty();
        assertThat(recordDir.resolve("starts.txt")).doesNotExist();

        runner.startAgent(startAgent("cmd-2", "delivery-2"));
        awaitReport(TurnEndedReport.class);
        assertThat(runner.stopAgent("delivery-2")).isIn("killed", "not_running");
        assertThat(runner.stopAgent("delivery-2")).isEqualTo("not_running");
        assertThat(recordDir.resolve("cancels.txt")).doesNotExist();
        assertThat(reports.reportsOf(AgentFailedReport.class)).isEmpty();
    }

    private ProcessHandle awaitChild() {
        Path childFile = recordDir.resolve("child.txt");
        await().atMost(REPORTS_TIMEOUT).until(() -> Files.exists(childFile) && Files.size(childFile) > 0);
        try {
            long pid = Long.parseLong(Files.readString(childFile).strip());
            ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
            assertThat(child.isAlive()).isTrue();
            return child;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void awaitGone(String what, ProcessHandle process) {
        await(what + " " + process.pid() + " gone").atMost(Duration.ofSeconds(10))
            .until(() -> !process.isAlive());
    }

    private ProcessHandle agentProcess() throws IOException {
        long pid = Long.parseLong(Files.readAllLines(recordDir.resolve("starts.txt")).get(0).strip());
        return ProcessHandle.of(pid).orElseThrow();
    }

    /** Waits for a report of {@code type}; on timeout, fails with what the agent did, to make the cause visible. */
    private void awaitReport(Class<? extends NodeMessage> type) throws IOException {
        try {
            await().atMost(REPORTS_TIMEOUT).until(() -> !reports.reportsOf(type).isEmpty());
        } catch (ConditionTimeoutException e) {
            Path stderrLog = work.resolve("agent-homes/ws-1/agent-stderr.log");
            throw new AssertionError("no " + type.getSimpleName() + "; reports: " + reports.reports()
                + "\nrecorded: " + (Files.exists(recordDir) ? Files.list(recordDir).toList() : "-")
                + "\nagent stderr: " + (Files.exists(stderrLog) ? Files.readString(stderrLog) : "-")
                + "\nthreads: " + agentThreadStacks(), e);
        }
    }

    private static String agentThreadStacks() {
        var stacks = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            if (thread.getName().startsWith("agent-") || thread.getName().startsWith("main")) {
                stacks.append("\n").append(thread.getName()).append(" ").append(thread.getState());
                for (StackTraceElement frame : frames) {
                    stacks.append("\n    at ").append(frame);
                }
            }
        });
        return stacks.toString();
    }

    private AgentSessionRunner runner(String mode, Duration startTimeout) {
        return runner(mode, startTimeout, reports);
    }

    /** A runner on the same work directory: a new one stands for the vm-agent after a restart. */
    private AgentSessionRunner runner(String mode, Duration startTimeout, RecordingReportSink sink) {
        return runner(mode, startTimeout, sink, Duration.ofMinutes(5));
    }

    private AgentSessionRunner runner(String mode, Duration startTimeout, RecordingReportSink sink,
                                      Duration idleTimeout) {
        return new AgentSessionRunner(FakeAgents.agentsFile(mode, recordDir), new WorkspacePaths(work),
            new AgentProcessLauncher(System.getenv()), startTimeout, STOP_GRACE, idleTimeout, "test", sink);
    }

    private static SendPrompt sendPrompt(String commandId, String promptId, long afterSequence) {
        return new SendPrompt(commandId, "task-1", "ws-1", "delivery-1", promptId, FakeAgents.NAME,
            "And now a test, please.", FakeAcpAgent.SESSION_ID, afterSequence, null);
    }

    private static StartAgent startAgent(String commandId, String deliveryId) {
        return new StartAgent(commandId, "task-1", "ws-1", deliveryId, FakeAgents.NAME, PROMPT);
    }

    private List<String> recordedPrompts() throws IOException {
        return Files.readAllLines(recordDir.resolve("prompts.txt")).stream()
            .map(line -> {
                try {
                    return Json.MAPPER.readValue(line, String.class);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            })
            .toList();
    }
}
