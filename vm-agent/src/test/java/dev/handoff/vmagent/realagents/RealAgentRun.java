package dev.handoff.vmagent.realagents;

import dev.handoff.localstack.HandoffStack;

import dev.handoff.localstack.LocalAgents;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.agent.AgentInstaller;
import dev.handoff.vmagent.agent.AgentProcessLauncher;
import dev.handoff.vmagent.agent.AgentSessionRunner;
import dev.handoff.vmagent.agent.AgentsFile;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one real agent the way a node does: the vm-agent's {@link AgentSessionRunner} with its on-demand
 * {@link AgentInstaller} (npm into the shared agent cache, {@code agents/cache}), one StartAgent with a prompt,
 * collecting the reports until the turn ends or the agent fails. The API key reaches the agent only through the
 * agent's {@code passEnv} from the "node's" environment.
 */
final class RealAgentRun implements AutoCloseable {

    static final Duration INSTALL_AND_TURN = Duration.ofMinutes(10);

    final List<NodeMessage> reports = new CopyOnWriteArrayList<>();
    private final AgentSessionRunner runner;
    private final Path work;

    /**
     * @param agentEntry the agent's entry for the agents file ({@link LocalAgents})
     * @param nodeEnv    variables of the node's environment, added to this JVM's (the API key)
     */
    RealAgentRun(Path work, String agentName, Map<String, Object> agentEntry, Map<String, String> nodeEnv)
        throws IOException {
        this.work = work;
        Path agentsFile = work.resolve("agents.json");
        new ObjectMapper().writeValue(agentsFile.toFile(), Map.of("agents", Map.of(agentName, agentEntry)));
        AgentsFile agents = AgentsFile.load(agentsFile);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(nodeEnv);
        var installer = new AgentInstaller(LocalAgents.agentCache(HandoffStack.findRepoRoot()), List.of("npm"),
            INSTALL_AND_TURN, env, agents.passEnvNames());
        runner = new AgentSessionRunner(agents, new WorkspacePaths(work),
            new AgentProcessLauncher(env, installer, List.of("docker")), Duration.ofSeconds(90),
            Duration.ofSeconds(5), "local-stack-test", reports::add);
    }

    /** Starts the agent with {@code prompt} in a fresh git workspace and waits until its turn ended or it failed. */
    void runTurn(String agentName, String prompt) throws Exception {
        Path workspace = Files.createDirectories(work.resolve("workspaces/ws-1"));
        new ProcessBuilder("git", "init", "--quiet", workspace.toString()).inheritIO().start().waitFor();
        runner.startAgent(new StartAgent("cmd-1", "task-1", "ws-1", "delivery-1", agentName, prompt));
        await().atMost(INSTALL_AND_TURN).until(() -> reports.stream()
            .anyMatch(r -> r instanceof TurnEndedReport || r instanceof AgentFailedReport));
    }

    /** The failure reason, if the agent failed. */
    String failure() {
        return reports.stream().filter(AgentFailedReport.class::isInstance).map(AgentFailedReport.class::cast)
            .map(AgentFailedReport::reason).findFirst().orElse(null);
    }

    /** The stop reason of the ended turn, or null. */
    String stopReason() {
        return reports.stream().filter(TurnEndedReport.class::isInstance).map(TurnEndedReport.class::cast)
            .map(TurnEndedReport::stopReason).findFirst().orElse(null);
    }

    /** Every agent_message_chunk's text, concatenated in order. */
    String messageText() {
        StringBuilder text = new StringBuilder();
        reports.stream().filter(AgentOutputReport.class::isInstance).map(AgentOutputReport.class::cast)
            .filter(output -> "agent_message_chunk".equals(output.kind()))
            .forEach(output -> text.append(output.update().path("content").path("text").asText()));
        return text.toString();
    }

    /** The agent's stderr log, for assertion messages. */
    String stderr() {
        try {
            return Files.readString(work.resolve("agent-homes/ws-1/agent-stderr.log"));
        } catch (IOException e) {
            return "(no stderr log)";
        }
    }

    @Override
    public void close() {
        runner.killAllAgents();
    }
}
