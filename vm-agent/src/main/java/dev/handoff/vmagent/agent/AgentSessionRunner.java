package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.vmagent.acp.AcpClient;
import dev.handoff.vmagent.acp.AcpException;
import dev.handoff.vmagent.acp.ConnectionClosedException;
import dev.handoff.vmagent.gateway.ReportSink;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs StartAgent commands: launches the agent, opens an ACP session in the workspace and delivers the prompt,
 * once per deliveryId, also across vm-agent restarts ({@link DeliveryLog}). Reports flow through the
 * {@link AgentSession}, which keeps them in order.
 */
public final class AgentSessionRunner {

    public static final String CLIENT_NAME = "handoff-vm-agent";

    private static final Logger LOG = Logger.getLogger(AgentSessionRunner.class.getName());

    private final AgentsFile agents;
    private final WorkspacePaths paths;
    private final AgentProcessLauncher launcher;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private final String clientVersion;
    private final ReportSink reports;
    private final AgentSessionRegistry registry = new AgentSessionRegistry();
    private final DeliveryLog deliveries;
    private final TurnEndListener turnEnded;

    /** How long an agent whose turn ended may take to exit after its stdin closed. */
    static final Duration AGENT_EXIT_GRACE = Duration.ofSeconds(2);

    /**
     * @param startTimeout how long to wait for each of initialize and session/new
     * @param stopGrace how long a stopped agent may take to answer session/cancel before it is killed
     * @param clientVersion this vm-agent's version, sent in clientInfo
     */
    public AgentSessionRunner(AgentsFile agents, WorkspacePaths paths, AgentProcessLauncher launcher,
                              Duration startTimeout, Duration stopGrace, String clientVersion, ReportSink reports) {
        this(agents, paths, launcher, startTimeout, stopGrace, clientVersion, reports, TurnEndListener.NONE);
    }

    /** @param turnEnded told after each turn that ended normally (the branch publisher) */
    public AgentSessionRunner(AgentsFile agents, WorkspacePaths paths, AgentProcessLauncher launcher,
                              Duration startTimeout, Duration stopGrace, String clientVersion, ReportSink reports,
                              TurnEndListener turnEnded) {
        this.turnEnded = turnEnded;
        this.agents = agents;
        this.paths = paths;
        this.launcher = launcher;
        this.startTimeout = startTimeout;
        this.stopGrace = stopGrace;
        this.clientVersion = clientVersion;
        this.reports = reports;
        this.deliveries = new DeliveryLog(paths.deliveries());
    }

    /**
     * Handles one StartAgent. Returns once AgentStarted or AgentFailed was reported; the turn runs on. A
     * delivery seen before is answered from the registry without starting anything.
     */
    public void startAgent(StartAgent command) throws InterruptedException {
        if (command.deliveryId() == null || command.deliveryId().isBlank()) {
            reports.report(new AgentFailedReport(command.commandId(), command.taskId(), command.deliveryId(),
                "StartAgent without a deliveryId"));
            return;
        }
        var session = registry.registerSession(command, deliveries.recording(command, reports));
        if (session.isEmpty()) {
            LOG.log(Level.INFO, "delivery {0} was seen or stopped before; not starting another agent",
                command.deliveryId());
            return;
        }
        if (answeredFromEarlierProcess(session.get()) || !recordAccepted(session.get())) {
            return;
        }
        startAgentWithPrompt(session.get());
    }

    /**
     * A delivery this process does not know but the delivery log does was accepted by an earlier vm-agent process;
     * its agent died with that process. Answers with its outcome and never starts it again.
     */
    private boolean answeredFromEarlierProcess(AgentSession session) {
        String deliveryId = session.command().deliveryId();
        Optional<DeliveryLog.Delivery> earlier;
        try {
            earlier = deliveries.find(deliveryId);
        } catch (IOException | RuntimeException e) {
            session.reportFailed("cannot read the record of delivery " + deliveryId + ": " + e.getMessage());
            return true;
        }
        if (earlier.isEmpty()) {
            return false;
        }
        DeliveryLog.Delivery delivery = earlier.get();
        LOG.log(Level.INFO, "delivery {0} was {1} before this vm-agent started; answering from the record",
            new Object[] {deliveryId, delivery.state()});
        switch (delivery.state()) {
            case ENDED -> session.reportStarted(delivery.agentSessionId());
            case FAILED -> session.reportFailed(delivery.failureReason());
            case ACCEPTED, PROMPT_DELIVERED -> session.reportFailed(DeliveryLog.LOST_ON_RESTART);
        }
        return true;
    }

    private boolean recordAccepted(AgentSession session) {
        try {
            deliveries.recordAccepted(session.command());
            return true;
        } catch (IOException | RuntimeException e) {
            session.reportFailed("cannot record delivery " + session.command().deliveryId() + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Stops the agent of {@code deliveryId} (session/cancel, a grace period, then its process tree is killed). A
     * delivery that is unknown here, or whose agent already ended, is only marked so it never starts.
     *
     * @return how: {@code cancelled}, {@code killed} or {@code not_running}
     */
    public String stopAgent(String deliveryId) throws InterruptedException {
        if (deliveryId == null || deliveryId.isBlank()) {
            return "not_running";
        }
        var session = registry.markStopped(deliveryId);
        if (session.isEmpty()) {
            LOG.log(Level.INFO, "delivery {0} has no agent on this node; nothing to stop", deliveryId);
            return "not_running";
        }
        return session.get().stop(stopGrace);
    }

    /** Kills every agent's process tree; for shutdown. */
    public void killAllAgents() {
        registry.killAllAgents();
    }

    /** Starts the agent process, opens an ACP session and writes the prompt; then reports AgentStarted. */
    void startAgentWithPrompt(AgentSession session) throws InterruptedException {
        StartAgent command = session.command();
        var agent = agents.find(command.agent());
        if (agent.isEmpty()) {
            session.reportFailed("unknown agent '" + command.agent() + "'; this node runs " + agents.agentNames());
            return;
        }
        Path workspace;
        AgentHome home;
        try {
            workspace = paths.workspace(command.workspaceId());
            if (!Files.isDirectory(workspace)) {
                session.reportFailed("workspace " + command.workspaceId() + " does not exist on this node ("
                    + workspace + ")");
                return;
            }
            home = AgentHome.create(paths.agentHome(command.workspaceId()));
        } catch (IllegalArgumentException | IOException e) {
            session.reportFailed("cannot prepare workspace " + command.workspaceId() + ": " + e.getMessage());
            return;
        }

        Process process;
        try {
            process = launcher.launch(command.agent(), agent.get(), workspace, home,
                AgentSecrets.environment(command.secrets()));
        } catch (IOException e) {
            session.reportFailed(AgentFailureReason.describe("cannot start agent '" + command.agent() + "' "
                + agent.get().command() + ": " + e.getMessage(), null, home));
            return;
        }
        session.attachProcess(process);
        AcpClient client = AcpClient.connect(process.getInputStream(), process.getOutputStream(),
            new SessionListener(session, agents.permissionPolicy()), "agent-" + process.pid());
        try {
            client.initialize(CLIENT_NAME, clientVersion, startTimeout);
            String sessionId = client.newSession(workspace, startTimeout);
            LOG.log(Level.INFO, "session {0} opened; sending the prompt ({1} chars)",
                new Object[] {sessionId, command.prompt().length()});
            CompletableFuture<String> turn = client.sendPrompt(sessionId, command.prompt());
            session.attachTurn(client, sessionId, turn);
            session.reportStarted(sessionId);
            turn.whenComplete((stopReason, failure) -> {
                onTurnFinished(session, process, home, stopReason, failure);
                if (failure == null && !session.isStopping()) {
                    turnEnded.onTurnEnded(session.command(), stopReason);
                }
                if (failure == null) {
                    endAgentAfterTurn(session, client, process);
                }
            });
        } catch (AcpException e) {
            session.reportFailed(AgentFailureReason.describe(
                "agent '" + command.agent() + "' did not start: " + e.getMessage(), process, home));
            session.killProcessTree();
            client.close();
        }
    }

    /**
     * Ends the agent once its turn ended: nothing sends it another prompt yet (follow-ups are a later step), so
     * keeping it would leave one idle agent per finished task on a reused node. Its stdin is closed so it can exit
     * cleanly; whatever still runs after a grace period is killed with its children. Runs off the reader thread.
     */
    private static void endAgentAfterTurn(AgentSession session, AcpClient client, Process process) {
        CompletableFuture.runAsync(() -> {
            client.close();
            try {
                if (!process.waitFor(AGENT_EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(Level.INFO, "agent of delivery {0} still runs after its turn; killing it",
                        session.command().deliveryId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            session.killProcessTree();
        });
    }

    private static void onTurnFinished(AgentSession session, Process process, AgentHome home, String stopReason,
                                       Throwable failure) {
        if (failure == null) {
            session.reportTurnEnded(stopReason);
            return;
        }
        if (session.isStopping()) {
            return;
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        String problem = "the turn failed: " + AcpClient.describeFailure("session/prompt", cause);
        if (!(cause instanceof ConnectionClosedException)) {
            session.reportFailed(problem);
            return;
        }
        try {
            session.reportFailed(AgentFailureReason.describe(problem, process, home));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.reportFailed(problem);
        }
    }

    /** Relays updates into the session and answers permission requests by policy. */
    private static final class SessionListener implements AcpClient.Listener {
        private final AgentSession session;
        private final PermissionPolicy policy;

        SessionListener(AgentSession session, PermissionPolicy policy) {
            this.session = session;
            this.policy = policy;
        }

        @Override
        public void onSessionUpdate(String sessionId, JsonNode update) {
            session.relayUpdate(sessionId, update);
        }

        @Override
        public String choosePermissionOption(JsonNode request) {
            String optionId = policy.chooseOptionId(request.path("options"));
            LOG.log(Level.INFO, "agent asked permission for \"{0}\"; answering {1} by policy {2}",
                new Object[] {request.path("toolCall").path("title").asText("?"), optionId, policy.optionKind()});
            return optionId;
        }
    }
}
