package dev.handoff.vmagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.AgentStartedReport;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.Hello;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.contracts.node.NodeMessage.Welcome;
import dev.handoff.contracts.node.NodeMessage.WorkspaceReadyReport;
import dev.handoff.vmagent.agent.TurnsInFlight;
import dev.handoff.vmagent.agent.FakeAcpAgent;
import dev.handoff.vmagent.agent.FakeAgents;
import dev.handoff.vmagent.gateway.FakeGateway;
import dev.handoff.vmagent.workspace.GitFixtures;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole vm-agent against a fake gateway, a real git repository and the fake ACP agent process. */
class VmAgentEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;
    @TempDir
    Path repos;
    @TempDir
    Path recordDir;

    private FakeGateway gateway;
    private VmAgent vmAgent;

    @AfterEach
    void stop() throws InterruptedException {
        if (vmAgent != null) {
            vmAgent.shutdown();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void clonesTheWorkspaceThenRunsTheAgentAndReportsTheTurn() throws Exception {
        Path origin = GitFixtures.bareRepositoryWithOneCommit(repos, "main");
        gateway = FakeGateway.startOnRandomPort();
        gateway.answerHellosWith(hello -> new Welcome(hello.nodeId(), "secret-1"));
        vmAgent = VmAgent.create(config(gateway.url()), FakeAgents.agentsFile("normal", recordDir), System.getenv(),
            "test");
        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(vmAgent::run);

        await().atMost(WAIT).until(() -> !gateway.messagesOn(0).isEmpty());
        assertThat(gateway.messagesOn(0).get(0)).isEqualTo(new Hello("node-1", "tok-1", null, "host-1", "test"));

        gateway.send(0, new CreateWorkspace("cmd-1", "task-1", "ws-1", origin.toString(), "main"));
        await().atMost(WAIT).until(() -> reportsOfType(WorkspaceReadyReport.class).size() == 1);
        assertThat(reportsOfType(WorkspaceReadyReport.class).get(0).path())
            .isEqualTo(work.resolve("workspaces/ws-1").toString());

        gateway.send(0, new StartAgent("cmd-2", "task-1", "ws-1", "delivery-1", FakeAgents.NAME, "Say hello"));
        await().atMost(WAIT).until(() -> !reportsOfType(TurnEndedReport.class).isEmpty());

        List<NodeMessage> agentReports = gateway.messagesOn(0).stream()
            .filter(m -> m instanceof AgentStartedReport || m instanceof AgentOutputReport
                || m instanceof TurnEndedReport)
            .toList();
        assertThat(agentReports.get(0)).isEqualTo(new AgentStartedReport("cmd-2", "task-1", "delivery-1",
            FakeAcpAgent.SESSION_ID, FakeAgents.NAME));
        assertThat(agentReports.subList(1, agentReports.size() - 1))
            .extracting(m -> ((AgentOutputReport) m).sequence()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(agentReports.get(agentReports.size() - 1)).isEqualTo(
            new TurnEndedReport("cmd-2", "task-1", FakeAcpAgent.SESSION_ID, "end_turn", 5));
        assertThat(exitCode).isNotDone();
    }

    /**
     * The gateway closes a node that stays silent for the time its Welcome names: a vm-agent whose own interval is
     * 30 s heartbeats every third of that time once told (3 s here), so it is never taken for a silent one.
     */
    @Test
    void heartbeatsComeWithinTheSilenceTheWelcomeAllows() throws Exception {
        gateway = FakeGateway.startOnRandomPort();
        gateway.answerHellosWith(hello -> new Welcome(hello.nodeId(), "secret-1", null, 3));
        vmAgent = VmAgent.create(config(gateway.url()), FakeAgents.agentsFile("normal", recordDir), System.getenv(),
            "test");
        CompletableFuture.supplyAsync(vmAgent::run);

        await().atMost(WAIT).until(() -> heartbeats() >= 4);
        long first = System.nanoTime();
        int before = heartbeats();
        await().atMost(WAIT).until(() -> heartbeats() >= before + 3);
        assertThat(Duration.ofNanos(System.nanoTime() - first)).as("three more heartbeats, about 1 s apart")
            .isLessThan(Duration.ofSeconds(10));
    }

    private int heartbeats() {
        return (int) gateway.messagesOn(0).stream().filter(m -> m instanceof NodeMessage.Heartbeat).count();
    }

    @Test
    void aStartAgentRedeliveredAfterTheVmAgentRestartedIsAnsweredFromDiskAndStartsNothing() throws Exception {
        Path origin = GitFixtures.bareRepositoryWithOneCommit(repos, "main");
        gateway = FakeGateway.startOnRandomPort();
        gateway.answerHellosWith(hello -> new Welcome(hello.nodeId(), "secret-1"));
        vmAgent = VmAgent.create(config(gateway.url()), FakeAgents.agentsFile("hang-mid-turn", recordDir),
            System.getenv(), "test");
        CompletableFuture.supplyAsync(vmAgent::run);
        await().atMost(WAIT).until(() -> !gateway.messagesOn(0).isEmpty());
        gateway.send(0, new CreateWorkspace("cmd-1", "task-1", "ws-1", origin.toString(), "main"));
        await().atMost(WAIT).until(() -> reportsOfType(WorkspaceReadyReport.class).size() == 1);
        gateway.send(0, new StartAgent("cmd-2", "task-1", "ws-1", "delivery-1", FakeAgents.NAME, "Say hello"));
        await().atMost(WAIT).until(() -> !reportsOfType(AgentOutputReport.class).isEmpty());

        vmAgent.shutdown();
        vmAgent = VmAgent.create(config(gateway.url()), FakeAgents.agentsFile("hang-mid-turn", recordDir),
            System.getenv(), "test");
        CompletableFuture.supplyAsync(vmAgent::run);
        await().atMost(WAIT).until(() -> !gateway.messagesOn(1).isEmpty());
        gateway.send(1, new StartAgent("cmd-3", "task-1", "ws-1", "delivery-1", FakeAgents.NAME, "Say hello"));

        // The restarted vm-agent reports the turn its predecessor left under way failed at once, and answers the
        // redelivery from the record: failed, never started again.
        await().atMost(WAIT).until(() -> reportsOn(1).size() == 3);
        assertThat(reportsOn(1).subList(1, 3)).containsExactly(
            new AgentFailedReport("cmd-2", "task-1", "delivery-1", TurnsInFlight.RESTARTED_DURING_THE_TURN, false,
                "agent_restarted"),
            new AgentFailedReport("cmd-3", "task-1", "delivery-1", TurnsInFlight.RESTARTED_DURING_THE_TURN, false,
                "start_failed"));
        assertThat(Files.readAllLines(recordDir.resolve("starts.txt"))).hasSize(1);
        assertThat(Files.readAllLines(recordDir.resolve("prompts.txt"))).hasSize(1);
        assertThat(gateway.numbered().stream().filter(f -> f.connection() == 1).map(FakeGateway.NumberedFrame::number))
            .as("the new process numbers its own stream from 1").containsExactly(1L, 2L);
    }

    /** The frames of one connection but heartbeats (which come every interval, unnumbered). */
    private List<NodeMessage> reportsOn(int connection) {
        return gateway.messagesOn(connection).stream().filter(m -> !(m instanceof NodeMessage.Heartbeat)).toList();
    }

    private <T extends NodeMessage> List<T> reportsOfType(Class<T> type) {
        return gateway.messagesOn(0).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Issue 11 item 15: another OS user on the node reads nothing of the work directory (workspaces, agent homes,
     * delivery records, clone URLs), even when it was made with a permissive umask.
     */
    @Test
    void theWorkDirectoryAndWhatTheVmAgentKeepsInItAreTheNodeUsersOnly() throws Exception {
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path origin = GitFixtures.bareRepositoryWithOneCommit(repos, "main");
        gateway = FakeGateway.startOnRandomPort();
        gateway.answerHellosWith(hello -> new Welcome(hello.nodeId(), "secret-1"));
        vmAgent = VmAgent.create(config(gateway.url()), FakeAgents.agentsFile("normal", recordDir), System.getenv(),
            "test");
        CompletableFuture.supplyAsync(vmAgent::run);
        await().atMost(WAIT).until(() -> !gateway.messagesOn(0).isEmpty());
        gateway.send(0, new CreateWorkspace("cmd-1", "task-1", "ws-1", origin.toString(), "main"));
        await().atMost(WAIT).until(() -> reportsOfType(WorkspaceReadyReport.class).size() == 1);

        for (Path dir : List.of(work, work.resolve("workspaces"), work.resolve("agent-homes"),
            work.resolve("clone-origins"), work.resolve("deliveries"))) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .as(dir.toString()).isEqualTo("rwx------");
        }
    }

    private VmAgentConfig config(URI gatewayUrl) {
        // The origin is a local path: this node is allowed to clone file:// repositories.
        return new VmAgentConfig(gatewayUrl, "node-1", "tok-1", work, work.resolve("agents.json"), "host-1",
            Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(5),
            dev.handoff.vmagent.gateway.OutboundQueue.DEFAULT_MAX_UNACKED_BYTES, Duration.ofMinutes(30),
            Duration.ofSeconds(30), GitFixtures.LOCAL_REPOSITORIES);
    }
}
