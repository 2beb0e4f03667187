package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AnswerPermission;
import dev.handoff.contracts.node.NodeMessage.PromptDeliveredReport;
import dev.handoff.contracts.node.NodeMessage.SendPrompt;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.vmagent.CrashPoints;
import dev.handoff.vmagent.acp.AcpClient;
import dev.handoff.vmagent.acp.AcpException;
import dev.handoff.vmagent.acp.ConnectionClosedException;
import dev.handoff.vmagent.gateway.ReportSink;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs StartAgent commands: launches the agent, opens an ACP session in the workspace and delivers the prompt,
 * once per deliveryId, also across vm-agent restarts ({@link DeliveryLog}). Reports flow through the
 * {@link AgentSession}, which keeps them in order. The agent stays alive after its turn for the idle timeout, so
 * a SendPrompt (a follow-up) goes into the same ACP session; once per promptId ({@link PromptLog}). When the agent
 * is gone by then, it is started again in the same workspace and loads its earlier session (session/load) if it
 * can, else opens a new one. With permission policy {@code ask}, the session is put in mode {@code default} and
 * each permission request waits for the user's answer ({@link #answerPermission}).
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
    private final TurnsInFlight turns;
    private final AgentProcessRecords agentProcesses;
    private final TurnEndListener turnEnded;
    /** Per delivery, the turn-end work (the branch publish) of its last turn; the next prompt waits for it. */
    private final Map<String, CompletableFuture<?>> turnEndWork = new ConcurrentHashMap<>();
    private final PromptLog prompts;
    private final Duration idleTimeout;
    private final Set<String> promptsInProgress = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService idleEnds = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "agent-idle-ends");
        thread.setDaemon(true);
        return thread;
    });

    /** How long an idle agent may take to exit after its stdin closed. */
    static final Duration AGENT_EXIT_GRACE = Duration.ofSeconds(2);

    /** How long an agent stays alive after its turn, waiting for a follow-up, unless configured. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

    /** How long a follow-up waits for the previous turn's publish (git's own limit is 5 min per command). */
    static final Duration TURN_END_WORK_WAIT = Duration.ofMinutes(10);

    /** The project setting that relays permission requests to the user; anything else answers them by policy. */
    static final String ASK = "ask";

    /** The ACP session mode in which the Claude agent asks before it edits or runs anything. */
    static final String ASKING_MODE = "default";

    /** With the default idle timeout. */
    public AgentSessionRunner(AgentsFile agents, WorkspacePaths paths, AgentProcessLauncher launcher,
                              Duration startTimeout, Duration stopGrace, String clientVersion, ReportSink reports) {
        this(agents, paths, launcher, startTimeout, stopGrace, DEFAULT_IDLE_TIMEOUT, clientVersion, reports);
    }

    /**
     * @param startTimeout how long to wait for each of initialize and session/new
     * @param stopGrace how long a stopped agent may take to answer session/cancel before it is killed
     * @param idleTimeout how long an agent whose turn ended stays alive for a follow-up
     * @param clientVersion this vm-agent's version, sent in clientInfo
     */
    public AgentSessionRunner(AgentsFile agents, WorkspacePaths paths, AgentProcessLauncher launcher,
                              Duration startTimeout, Duration stopGrace, Duration idleTimeout, String clientVersion,
                              ReportSink reports) {
        this(agents, paths, launcher, startTimeout, stopGrace, idleTimeout, clientVersion, reports,
            TurnEndListener.NONE);
    }

    /** @param turnEnded told after each turn that ended normally (the branch publisher) */
    public AgentSessionRunner(AgentsFile agents, WorkspacePaths paths, AgentProcessLauncher launcher,
                              Duration startTimeout, Duration stopGrace, Duration idleTimeout, String clientVersion,
                              ReportSink reports, TurnEndListener turnEnded) {
        this.turnEnded = turnEnded;
        this.idleTimeout = idleTimeout;
        this.prompts = new PromptLog(paths.prompts());
        this.agents = agents;
        this.paths = paths;
        this.launcher = launcher;
        this.startTimeout = startTimeout;
        this.stopGrace = stopGrace;
        this.clientVersion = clientVersion;
        this.reports = reports;
        this.deliveries = new DeliveryLog(paths.deliveries());
        this.turns = new TurnsInFlight(paths.turns());
        this.agentProcesses = new AgentProcessRecords(paths.agentProcesses());
    }

    /**
     * For the start of a vm-agent, before it takes any command: kills the agent processes that outlived the last
     * vm-agent (with their children), and reports every turn that was under way then failed
     * ({@value TurnsInFlight#RESTARTED_DURING_THE_TURN}); such a delivery is recorded failed, so it is never started
     * again. Agents whose turn had ended are only killed: a follow-up starts them again and loads their session.
     *
     * @return the turns reported failed
     */
    public java.util.List<TurnsInFlight.Turn> recoverFromLastRun() {
        var killed = agentProcesses.killLeftovers();
        if (!killed.isEmpty()) {
            try {
                ProcessTree.awaitExit(killed, stopGrace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var failed = turns.failLeftovers(reports);
        for (TurnsInFlight.Turn turn : failed) {
            try {
                deliveries.advance(turn.deliveryId(), DeliveryLog.State.FAILED, null,
                    TurnsInFlight.RESTARTED_DURING_THE_TURN, null);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot record delivery {0} as failed: {1}", new Object[] {turn.deliveryId(),
                    e.getMessage()});
            }
        }
        if (!killed.isEmpty() || !failed.isEmpty()) {
            LOG.log(Level.INFO, "after the last vm-agent ended: {0} leftover agent processes killed, {1} turns "
                + "reported failed", new Object[] {killed.size(), failed.size()});
        }
        return failed;
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
        var session = registry.registerSession(command,
            deliveries.recording(command, turns.clearing(command.deliveryId(), reports)));
        if (session.isEmpty()) {
            LOG.log(Level.INFO, "delivery {0} was seen or stopped before; not starting another agent",
                command.deliveryId());
            return;
        }
        if (answeredFromEarlierProcess(session.get()) || !beginTurn(command.deliveryId(), command.commandId(),
            command.taskId(), null) || !recordAccepted(session.get())) {
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

    /** Records the turn as under way before anything reaches the agent; reports AgentFailed if it cannot. */
    private boolean beginTurn(String deliveryId, String commandId, String taskId, String promptId) {
        try {
            turns.begin(deliveryId, commandId, taskId, promptId);
            return true;
        } catch (IOException | RuntimeException e) {
            reports.report(new AgentFailedReport(commandId, taskId, deliveryId,
                "cannot record the turn of delivery " + deliveryId + ": " + e.getMessage()));
            return false;
        }
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
        turns.end(deliveryId);
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

    /**
     * Handles one SendPrompt: writes the follow-up into the living agent's session, or starts the agent again in the
     * workspace first. Returns once PromptDelivered or AgentFailed was reported; the turn runs on. A promptId seen
     * before is answered from the record and never written again.
     */
    public void sendPrompt(SendPrompt command) throws InterruptedException {
        if (registry.isStopped(command.deliveryId())) {
            LOG.log(Level.INFO, "delivery {0} was stopped; not sending prompt {1}",
                new Object[] {command.deliveryId(), command.promptId()});
            return;
        }
        if (!promptsInProgress.add(command.promptId())) {
            LOG.log(Level.INFO, "prompt {0} is being delivered; its report will follow", command.promptId());
            return;
        }
        try {
            if (answeredFromRecord(command) || !recordAccepted(command) || !beginTurn(command.deliveryId(),
                command.commandId(), command.taskId(), command.promptId())) {
                return;
            }
            awaitTurnEndWork(command.deliveryId());
            var living = registry.find(command.deliveryId());
            if (living.isPresent() && living.get().claimForPrompt(command.commandId())) {
                continueSession(living.get(), command);
            } else {
                startAgainWithPrompt(command, living.map(AgentSession::lastSequence).orElse(0L));
            }
        } finally {
            promptsInProgress.remove(command.promptId());
        }
    }

    /**
     * Waits until the last turn's end work is done (its branch is committed and pushed), so the next prompt's agent
     * never edits files while they are being committed; after {@link #TURN_END_WORK_WAIT} it goes on regardless.
     */
    private void awaitTurnEndWork(String deliveryId) throws InterruptedException {
        CompletableFuture<?> work = turnEndWork.get(deliveryId);
        if (work == null || work.isDone()) {
            return;
        }
        LOG.log(Level.INFO, "delivery {0}: waiting for the last turn's publish before the next prompt", deliveryId);
        try {
            work.get(TURN_END_WORK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(Level.WARNING, "delivery {0}: the last turn's publish failed: {1}",
                new Object[] {deliveryId, e.getCause()});
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "delivery {0}: the last turn's publish still runs after {1}; sending the prompt",
                new Object[] {deliveryId, TURN_END_WORK_WAIT});
        }
    }

    /**
     * Gives the user's answer to the agent's pending permission request; an answer to a request no longer pending
     * (answered before, turn ended, agent gone) is dropped.
     */
    public void answerPermission(AnswerPermission command) {
        boolean answered = registry.find(command.deliveryId())
            .map(session -> session.answerPermission(command.requestId(), command.optionId())).orElse(false);
        LOG.log(Level.INFO, "permission request {0} of delivery {1}: {2}", new Object[] {command.requestId(),
            command.deliveryId(), answered ? "answered " + command.optionId() : "no longer pending; answer dropped"});
    }

    private boolean answeredFromRecord(SendPrompt command) {
        try {
            var earlier = prompts.find(command.promptId());
            if (earlier.isEmpty()) {
                return false;
            }
            if (earlier.get().state() == PromptLog.State.DELIVERED) {
                LOG.log(Level.INFO, "prompt {0} was delivered before; answering from the record", command.promptId());
                reports.report(new PromptDeliveredReport(command.commandId(), command.taskId(), command.deliveryId(),
                    command.promptId(), earlier.get().agentSessionId(), earlier.get().how()));
            } else {
                reports.report(new AgentFailedReport(command.commandId(), command.taskId(), command.deliveryId(),
                    PromptLog.LOST_ON_RESTART));
            }
        } catch (IOException | RuntimeException e) {
            reports.report(new AgentFailedReport(command.commandId(), command.taskId(), command.deliveryId(),
                "cannot read the record of prompt " + command.promptId() + ": " + e.getMessage()));
        }
        return true;
    }

    private boolean recordAccepted(SendPrompt command) {
        try {
            prompts.recordAccepted(command.promptId(), command.deliveryId());
            return true;
        } catch (IOException | RuntimeException e) {
            reports.report(new AgentFailedReport(command.commandId(), command.taskId(), command.deliveryId(),
                "cannot record prompt " + command.promptId() + ": " + e.getMessage()));
            return false;
        }
    }

    /** The agent of the last turn is alive: the follow-up goes into its session. */
    private void continueSession(AgentSession session, SendPrompt command) {
        String sessionId = session.sessionId();
        CompletableFuture<String> turn;
        try {
            turn = session.client().sendPrompt(sessionId, command.prompt());
        } catch (AcpException e) {
            session.reportFailed("cannot write the follow-up to the agent: " + e.getMessage());
            session.killProcessTree();
            return;
        }
        session.attachTurn(session.client(), sessionId, turn);
        deliverAndAwaitTurn(session, command, sessionId, "continued", turn);
    }

    /**
     * The agent of the last turn is gone (idle timeout, vm-agent restart): start it again in the workspace, load its
     * earlier session if it advertises loadSession (else open a new one, which does not remember), then write the
     * prompt.
     */
    private void startAgainWithPrompt(SendPrompt command, long knownSequence) throws InterruptedException {
        StartAgent asStart = new StartAgent(command.commandId(), command.taskId(), command.workspaceId(),
            command.deliveryId(), command.agent(), command.prompt(), command.permissionPolicy(), command.chatUrl(),
            command.secrets());
        AgentSession session = AgentSession.resumed(asStart, turns.clearing(command.deliveryId(), reports),
            Math.max(command.afterSequence(), knownSequence));
        registry.replaceSession(command.deliveryId(), session);
        Optional<Launched> launched = launch(session);
        if (launched.isEmpty()) {
            return;
        }
        AcpClient client = launched.get().client();
        try {
            JsonNode capabilities = client.initialize(CLIENT_NAME, clientVersion, startTimeout);
            String sessionId = null;
            String how = "new_session";
            if (command.agentSessionId() != null && AcpClient.canLoadSession(capabilities)) {
                session.replayingHistory(true);
                try {
                    client.loadSession(command.agentSessionId(), launched.get().workspace(), startTimeout);
                    sessionId = command.agentSessionId();
                    how = "loaded";
                } catch (AcpException e) {
                    LOG.log(Level.WARNING, "agent could not load session {0}: {1}; opening a new session",
                        new Object[] {command.agentSessionId(), e.getMessage()});
                } finally {
                    session.replayingHistory(false);
                }
            }
            if (sessionId == null) {
                sessionId = client.newSession(launched.get().workspace(), startTimeout);
            }
            applyPermissionPolicy(client, sessionId, command.permissionPolicy());
            LOG.log(Level.INFO, "agent started again for delivery {0}, session {1} ({2}); sending prompt {3}",
                new Object[] {command.deliveryId(), sessionId, how, command.promptId()});
            CompletableFuture<String> turn = client.sendPrompt(sessionId, command.prompt());
            session.attachTurn(client, sessionId, turn);
            deliverAndAwaitTurn(session, command, sessionId, how, turn);
        } catch (AcpException e) {
            session.reportFailed(AgentFailureReason.describe("agent '" + command.agent()
                + "' did not start again for the follow-up: " + e.getMessage(), launched.get().process(),
                launched.get().home()));
            session.killProcessTree();
            client.close();
        }
    }

    private void deliverAndAwaitTurn(AgentSession session, SendPrompt command, String sessionId, String how,
                                     CompletableFuture<String> turn) {
        try {
            prompts.recordDelivered(command.promptId(), command.deliveryId(), sessionId, how);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot record prompt " + command.promptId() + " as delivered", e);
        }
        session.reportPromptDelivered(command.promptId(), sessionId, how);
        Process process = session.process();
        AgentHome home = homeOf(command.workspaceId());
        turn.whenComplete((stopReason, failure) -> afterTurn(session, process, home, stopReason, failure));
    }

    private AgentHome homeOf(String workspaceId) {
        return new AgentHome(paths.agentHome(workspaceId).toAbsolutePath().normalize());
    }

    /** A launched agent process, its ACP client, and where it runs. */
    private record Launched(Process process, AcpClient client, Path workspace, AgentHome home) {
    }

    /** Launches the session's agent in its workspace and connects an ACP client; reports AgentFailed if it cannot. */
    private Optional<Launched> launch(AgentSession session) throws InterruptedException {
        StartAgent command = session.command();
        var agent = agents.find(command.agent());
        if (agent.isEmpty()) {
            session.reportFailed("unknown agent '" + command.agent() + "'; this node runs " + agents.agentNames());
            return Optional.empty();
        }
        Path workspace;
        AgentHome home;
        try {
            workspace = paths.workspace(command.workspaceId());
            if (!Files.isDirectory(workspace)) {
                session.reportFailed("workspace " + command.workspaceId() + " does not exist on this node ("
                    + workspace + ")");
                return Optional.empty();
            }
            home = AgentHome.create(paths.agentHome(command.workspaceId()));
        } catch (IllegalArgumentException | IOException e) {
            session.reportFailed("cannot prepare workspace " + command.workspaceId() + ": " + e.getMessage());
            return Optional.empty();
        }
        Process process;
        try {
            process = launcher.launch(command.agent(), agent.get(), workspace, home,
                AgentSecrets.environment(command.agent(), command.secrets()));
        } catch (IOException e) {
            session.reportFailed(AgentFailureReason.describe("cannot start agent '" + command.agent() + "' "
                + agent.get().command() + ": " + e.getMessage(), null, home));
            return Optional.empty();
        }
        session.attachProcess(process);
        agentProcesses.started(command.deliveryId(), process);
        AcpClient client = AcpClient.connect(process.getInputStream(), process.getOutputStream(),
            new SessionListener(session, agents.permissionPolicy(), ASK.equals(command.permissionPolicy())),
            "agent-" + process.pid());
        return Optional.of(new Launched(process, client, workspace, home));
    }

    /** With {@code ask}, puts the session in the mode in which the agent asks before it acts. */
    private void applyPermissionPolicy(AcpClient client, String sessionId, String permissionPolicy)
        throws AcpException, InterruptedException {
        if (ASK.equals(permissionPolicy)) {
            client.setMode(sessionId, ASKING_MODE, startTimeout);
        }
    }

    /** Starts the agent process, opens an ACP session and writes the prompt; then reports AgentStarted. */
    void startAgentWithPrompt(AgentSession session) throws InterruptedException {
        StartAgent command = session.command();
        Optional<Launched> launched = launch(session);
        if (launched.isEmpty()) {
            return;
        }
        Process process = launched.get().process();
        AcpClient client = launched.get().client();
        AgentHome home = launched.get().home();
        try {
            client.initialize(CLIENT_NAME, clientVersion, startTimeout);
            String sessionId = client.newSession(launched.get().workspace(), startTimeout);
            applyPermissionPolicy(client, sessionId, command.permissionPolicy());
            LOG.log(Level.INFO, "session {0} opened; sending the prompt ({1} chars)",
                new Object[] {sessionId, command.prompt().length()});
            CompletableFuture<String> turn = client.sendPrompt(sessionId, command.prompt());
            CrashPoints.reached("prompt-written");
            session.attachTurn(client, sessionId, turn);
            session.reportStarted(sessionId);
            turn.whenComplete((stopReason, failure) -> afterTurn(session, process, home, stopReason, failure));
        } catch (AcpException e) {
            session.reportFailed(AgentFailureReason.describe(
                "agent '" + command.agent() + "' did not start: " + e.getMessage(), process, home));
            session.killProcessTree();
            client.close();
        }
    }

    /**
     * After every turn, the first and each follow-up: reports how it ended; a turn that ended normally is published
     * (the branch and pull request) and its agent kept for the next follow-up.
     */
    private void afterTurn(AgentSession session, Process process, AgentHome home, String stopReason,
                           Throwable failure) {
        onTurnFinished(session, process, home, stopReason, failure);
        if (failure == null && !session.isStopping()) {
            turnEndWork.put(session.command().deliveryId(),
                turnEnded.onTurnEnded(session.command(), stopReason).toCompletableFuture());
        }
        if (failure == null) {
            keepForFollowUps(session);
        }
    }

    /**
     * Keeps the agent whose turn ended alive for a follow-up, for the idle timeout; then ends it
     * ({@link #endIdleAgent}) unless a follow-up claimed it first.
     */
    private void keepForFollowUps(AgentSession session) {
        try {
            session.scheduleIdleEnd(idleEnds.schedule(() -> endIdleAgent(session), idleTimeout.toMillis(),
                TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            endIdleAgent(session);
        }
    }

    /**
     * Ends an agent whose idle time is up: its stdin is closed so it can exit cleanly; whatever still runs after a
     * grace period is killed with its children. A later follow-up starts it again ({@link #sendPrompt}).
     */
    private static void endIdleAgent(AgentSession session) {
        if (!session.endIfIdle()) {
            return;
        }
        LOG.log(Level.INFO, "agent of delivery {0} idle; ending it", session.command().deliveryId());
        AcpClient client = session.client();
        Process process = session.process();
        CompletableFuture.runAsync(() -> {
            client.close();
            try {
                if (!process.waitFor(AGENT_EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(Level.INFO, "agent of delivery {0} still runs after its stdin closed; killing it",
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

    /**
     * Relays updates into the session; answers permission requests by the node's policy, or, when the project asks,
     * relays them to the user and answers when the user does.
     */
    private static final class SessionListener implements AcpClient.Listener {
        private final AgentSession session;
        private final PermissionPolicy policy;
        private final boolean askUser;

        SessionListener(AgentSession session, PermissionPolicy policy, boolean askUser) {
            this.session = session;
            this.policy = policy;
            this.askUser = askUser;
        }

        @Override
        public void onSessionUpdate(String sessionId, JsonNode update) {
            session.relayUpdate(sessionId, update);
        }

        @Override
        public CompletableFuture<String> onPermissionRequest(JsonNode request) {
            if (askUser) {
                return session.askPermission(request);
            }
            String optionId = policy.chooseOptionId(request.path("options"));
            LOG.log(Level.INFO, "agent asked permission for \"{0}\"; answering {1} by policy {2}",
                new Object[] {request.path("toolCall").path("title").asText("?"), optionId, policy.optionKind()});
            return CompletableFuture.completedFuture(optionId);
        }
    }
}
