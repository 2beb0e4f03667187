package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.AgentStartedReport;
import dev.handoff.contracts.node.NodeMessage.PermissionRequestedReport;
import dev.handoff.contracts.node.NodeMessage.PromptDeliveredReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.acp.AcpClient;
import dev.handoff.vmagent.acp.AcpException;
import dev.handoff.vmagent.gateway.ReportSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One agent started for one delivery, and the order of its reports: AgentStarted first, then outputs numbered
 * 1, 2, 3... in the order the agent wrote them, then TurnEnded (or AgentFailed). Outputs the agent sends before
 * AgentStarted is reported (e.g. right after session/new) are held and follow it. If the start fails, only
 * AgentFailed is reported. Once {@link #stop} began, a failure is the stop's doing and is not reported.
 *
 * <p>The agent lives on after a turn: a follow-up prompt ({@link #beginPrompt}) holds the outputs of the next turn
 * until PromptDelivered is reported, then they follow in order, numbered on from the last turn's. Until its idle
 * time is up ({@link #endIfIdle}) the agent keeps its process; a session started for a follow-up after the process
 * was gone ({@link #resumed}) begins numbering after the sequence the control plane last saw. While the agent
 * loads an earlier session, the history it replays is not relayed ({@link #replayingHistory}). Permission requests
 * the user answers wait in {@link #askPermission} without holding the reader thread.
 */
public final class AgentSession {

    enum State { STARTING, STARTED, FAILED }

    private static final Logger LOG = Logger.getLogger(AgentSession.class.getName());

    private final StartAgent command;
    private final ReportSink reports;
    private final List<NodeMessage> heldUntilStarted = new ArrayList<>();
    private State state = State.STARTING;
    private String sessionId;
    private String failureReason;
    private AgentStartFailures.Classification failureClassification;
    private long lastSequence;
    private volatile Process process;
    private volatile boolean stopping;
    private volatile AcpClient client;
    private volatile String turnSessionId;
    private volatile CompletableFuture<String> turn;
    private volatile String commandId;
    /** The StartAgent commands whose outcome was reported (the first, and redeliveries under new command ids). */
    private final Set<String> answeredCommands = new HashSet<>();
    private volatile boolean replaying;
    private final Map<String, PendingPermission> pendingPermissions = new LinkedHashMap<>();
    private ScheduledFuture<?> idleEnd;
    private boolean ended;

    /** A permission request waiting for the user's answer. */
    private record PendingPermission(CompletableFuture<String> answer, Set<String> optionIds) {
    }

    AgentSession(StartAgent command, ReportSink reports) {
        this.command = command;
        this.reports = reports;
        this.commandId = command.commandId();
        this.answeredCommands.add(command.commandId());
    }

    /**
     * A session for a follow-up whose earlier agent process is gone: its output is numbered after
     * {@code afterSequence}, and it reports PromptDelivered (not AgentStarted) once the prompt is written.
     */
    static AgentSession resumed(StartAgent command, ReportSink reports, long afterSequence) {
        var session = new AgentSession(command, reports);
        session.lastSequence = afterSequence;
        return session;
    }

    public StartAgent command() {
        return command;
    }

    synchronized State state() {
        return state;
    }

    void attachProcess(Process agentProcess) {
        this.process = agentProcess;
        if (stopping) {
            killProcessTree();
        }
    }

    /** The turn in progress: what {@link #stop} cancels. */
    void attachTurn(AcpClient acpClient, String agentSessionId, CompletableFuture<String> promptAnswer) {
        this.client = acpClient;
        this.turnSessionId = agentSessionId;
        this.turn = promptAnswer;
    }

    /** Relays one session/update as the next numbered output. */
    synchronized void relayUpdate(String updateSessionId, JsonNode update) {
        if (state == State.FAILED || replaying) {
            return;
        }
        lastSequence++;
        emit(new AgentOutputReport(commandId, command.taskId(),
            updateSessionId != null ? updateSessionId : sessionId, lastSequence,
            update.path("sessionUpdate").textValue(), update));
    }

    /** Called only after the prompt was written to the agent's stdin and flushed. */
    synchronized void reportStarted(String agentSessionId) {
        if (state != State.STARTING) {
            return;
        }
        sessionId = agentSessionId;
        state = State.STARTED;
        LOG.log(Level.INFO, "agent {0} started session {1} for delivery {2}",
            new Object[] {command.agent(), agentSessionId, command.deliveryId()});
        reports.report(new AgentStartedReport(command.commandId(), command.taskId(), command.deliveryId(),
            agentSessionId, command.agent()));
        heldUntilStarted.forEach(reports::report);
        heldUntilStarted.clear();
    }

    synchronized void reportTurnEnded(String stopReason) {
        if (state == State.FAILED) {
            return;
        }
        cancelPendingPermissions();
        LOG.log(Level.INFO, "session {0} turn ended: {1} after {2} outputs",
            new Object[] {sessionId, stopReason, lastSequence});
        emit(new TurnEndedReport(commandId, command.taskId(), sessionId, stopReason, lastSequence));
    }

    /** While true, session/update notifications (the history session/load replays) are not relayed. */
    void replayingHistory(boolean replayingNow) {
        this.replaying = replayingNow;
    }

    /**
     * Claims this living agent for a follow-up prompt of command {@code promptCommandId}: its idle end is called
     * off, and the next outputs are held until {@link #reportPromptDelivered}.
     *
     * @return false when the agent already ended (idle, failed, stopped) or a turn still runs: start a new one
     */
    synchronized boolean claimForPrompt(String promptCommandId) {
        Process agentProcess = process;
        CompletableFuture<String> running = turn;
        if (ended || stopping || state != State.STARTED || client == null || agentProcess == null
            || !agentProcess.isAlive() || running == null || !running.isDone()) {
            return false;
        }
        if (idleEnd != null) {
            idleEnd.cancel(false);
            idleEnd = null;
        }
        beginPrompt(promptCommandId);
        return true;
    }

    /** The next outputs belong to command {@code promptCommandId} and wait for {@link #reportPromptDelivered}. */
    synchronized void beginPrompt(String promptCommandId) {
        commandId = promptCommandId;
        state = State.STARTING;
    }

    /** Called only after the follow-up prompt was written to the agent's stdin and flushed. */
    synchronized void reportPromptDelivered(String promptId, String agentSessionId, String how) {
        if (state == State.FAILED) {
            return;
        }
        sessionId = agentSessionId;
        state = State.STARTED;
        LOG.log(Level.INFO, "prompt {0} delivered to session {1} of delivery {2} ({3})",
            new Object[] {promptId, agentSessionId, command.deliveryId(), how});
        reports.report(new PromptDeliveredReport(commandId, command.taskId(), command.deliveryId(), promptId,
            agentSessionId, how));
        heldUntilStarted.forEach(reports::report);
        heldUntilStarted.clear();
    }

    Process process() {
        return process;
    }

    AcpClient client() {
        return client;
    }

    synchronized String sessionId() {
        return sessionId;
    }

    synchronized long lastSequence() {
        return lastSequence;
    }

    /** Ends the agent when its idle time is up, unless a prompt claimed it meanwhile. */
    synchronized void scheduleIdleEnd(ScheduledFuture<?> end) {
        if (idleEnd != null) {
            idleEnd.cancel(false);
        }
        idleEnd = end;
    }

    /**
     * @return true when the agent is idle (no turn running, not claimed) and is now marked ended: the caller ends
     *     its process; false when a prompt claimed it or it already ended
     */
    synchronized boolean endIfIdle() {
        CompletableFuture<String> running = turn;
        if (ended || state != State.STARTED || (running != null && !running.isDone())) {
            return false;
        }
        ended = true;
        idleEnd = null;
        return true;
    }

    /**
     * Relays a permission request to the user as a numbered report and returns the answer to come: the optionId
     * the user chose, or null (cancelled) when the turn ends or the agent is stopped first.
     */
    synchronized CompletableFuture<String> askPermission(JsonNode request) {
        var answer = new CompletableFuture<String>();
        if (state == State.FAILED || stopping) {
            answer.complete(null);
            return answer;
        }
        String requestId = UUID.randomUUID().toString();
        Set<String> optionIds = new HashSet<>();
        request.path("options").forEach(option -> optionIds.add(option.path("optionId").asText()));
        pendingPermissions.put(requestId, new PendingPermission(answer, optionIds));
        String requestSessionId = request.path("sessionId").asText(sessionId);
        LOG.log(Level.INFO, "agent asks permission for \"{0}\" (request {1}); asking the user",
            new Object[] {request.path("toolCall").path("title").asText("?"), requestId});
        emit(new PermissionRequestedReport(commandId, command.taskId(), command.deliveryId(),
            requestSessionId != null ? requestSessionId : "unknown", requestId, request.path("toolCall"),
            request.path("options")));
        return answer;
    }

    /**
     * Gives the agent the user's answer to a pending permission request.
     *
     * @return false when no such request is pending (answered before, or its turn ended)
     */
    synchronized boolean answerPermission(String requestId, String optionId) {
        PendingPermission pending = pendingPermissions.remove(requestId);
        if (pending == null) {
            return false;
        }
        if (!pending.optionIds().contains(optionId)) {
            LOG.log(Level.WARNING, "answer {0} to permission request {1} is not one of its options {2}; passing it on",
                new Object[] {optionId, requestId, pending.optionIds()});
        }
        pending.answer().complete(optionId);
        return true;
    }

    /** Answers every pending permission request cancelled (ACP: after session/cancel, or when the turn ended). */
    synchronized void cancelPendingPermissions() {
        pendingPermissions.values().forEach(pending -> pending.answer().complete(null));
        pendingPermissions.clear();
    }

    synchronized void reportFailed(String reason) {
        if (state == State.FAILED) {
            return;
        }
        if (stopping) {
            LOG.log(Level.INFO, "agent {0} for delivery {1} ended by the stop: {2}",
                new Object[] {command.agent(), command.deliveryId(), reason});
            return;
        }
        LOG.log(Level.WARNING, "agent {0} for delivery {1} failed: {2}",
            new Object[] {command.agent(), command.deliveryId(), reason});
        var classification = AgentStartFailures.classify(reason, state == State.STARTING);
        heldUntilStarted.clear();
        cancelPendingPermissions();
        state = State.FAILED;
        failureReason = reason;
        failureClassification = classification;
        reports.report(new AgentFailedReport(commandId, command.taskId(), command.deliveryId(), reason,
            classification.retryable(), classification.kind()));
    }

    /** A redelivered StartAgent: repeat the outcome so far, never start again or resend the prompt. */
    synchronized void answerDuplicate(StartAgent duplicate) {
        if (state != State.STARTING && !answeredCommands.add(duplicate.commandId())) {
            // A command answered before, again (a restarted gateway re-read it from Kafka): its outcome is already
            // in the report relay, acked or replayed on reconnect. Reporting it again would make a second event.
            LOG.log(Level.INFO, "command {0} for delivery {1} came again; its outcome was already reported",
                new Object[] {duplicate.commandId(), duplicate.deliveryId()});
            return;
        }
        switch (state) {
            case STARTED -> reports.report(new AgentStartedReport(duplicate.commandId(), duplicate.taskId(),
                duplicate.deliveryId(), sessionId, command.agent()));
            case FAILED -> reports.report(new AgentFailedReport(duplicate.commandId(), duplicate.taskId(),
                duplicate.deliveryId(), failureReason,
                failureClassification == null ? null : failureClassification.retryable(),
                failureClassification == null ? null : failureClassification.kind()));
            case STARTING -> LOG.log(Level.INFO, "delivery {0} is still starting; its report will follow",
                duplicate.deliveryId());
        }
    }

    boolean isStopping() {
        return stopping;
    }

    /**
     * Stops the agent: a turn in progress is sent {@code session/cancel} and given {@code grace} to answer it;
     * then the whole process tree is killed regardless, and this waits (up to {@code grace}) until it is gone.
     *
     * @return {@code cancelled} when the turn answered the cancel in time, {@code killed} when a live agent
     *     was killed, {@code not_running} when there was no live agent
     */
    String stop(Duration grace) throws InterruptedException {
        stopping = true;
        synchronized (this) {
            if (idleEnd != null) {
                idleEnd.cancel(false);
            }
        }
        boolean cancelled = cancelTurn(grace);
        Process agentProcess = process;
        boolean wasAlive = agentProcess != null && agentProcess.isAlive();
        List<ProcessHandle> killed = killProcessTree();
        ProcessTree.awaitExit(killed, grace);
        LOG.log(Level.INFO, "agent {0} for delivery {1} stopped: {2}", new Object[] {command.agent(),
            command.deliveryId(), cancelled ? "turn cancelled, then killed" : wasAlive ? "killed" : "was not running"});
        return cancelled ? "cancelled" : wasAlive ? "killed" : "not_running";
    }

    private boolean cancelTurn(Duration grace) throws InterruptedException {
        CompletableFuture<String> running = turn;
        if (running == null || running.isDone()) {
            return false;
        }
        try {
            client.cancelSession(turnSessionId);
            cancelPendingPermissions();
            String stopReason = running.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return "cancelled".equals(stopReason);
        } catch (AcpException | ExecutionException e) {
            LOG.log(Level.INFO, "session {0} did not take the cancel: {1}", new Object[] {turnSessionId,
                e.getMessage()});
            return false;
        } catch (TimeoutException e) {
            LOG.log(Level.INFO, "session {0} did not answer the cancel within {1} ms; killing it",
                new Object[] {turnSessionId, grace.toMillis()});
            return false;
        }
    }

    /**
     * Kills the agent and everything it spawned: wrappers leave native children behind.
     *
     * @return the processes it killed
     */
    List<ProcessHandle> killProcessTree() {
        stopping = true;
        Process agentProcess = process;
        if (agentProcess == null) {
            return List.of();
        }
        return ProcessTree.kill(agentProcess.toHandle());
    }

    private void emit(NodeMessage report) {
        if (state == State.STARTING) {
            heldUntilStarted.add(report);
        } else {
            reports.report(report);
        }
    }
}
