package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.AgentStartedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.acp.AcpClient;
import dev.handoff.vmagent.acp.AcpException;
import dev.handoff.vmagent.gateway.ReportSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    private long lastSequence;
    private volatile Process process;
    private volatile boolean stopping;
    private volatile AcpClient client;
    private volatile String turnSessionId;
    private volatile CompletableFuture<String> turn;

    AgentSession(StartAgent command, ReportSink reports) {
        this.command = command;
        this.reports = reports;
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
        if (state == State.FAILED) {
            return;
        }
        lastSequence++;
        emit(new AgentOutputReport(command.commandId(), command.taskId(),
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
        LOG.log(Level.INFO, "session {0} turn ended: {1} after {2} outputs",
            new Object[] {sessionId, stopReason, lastSequence});
        emit(new TurnEndedReport(command.commandId(), command.taskId(), sessionId, stopReason, lastSequence));
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
        heldUntilStarted.clear();
        state = State.FAILED;
        failureReason = reason;
        reports.report(new AgentFailedReport(command.commandId(), command.taskId(), command.deliveryId(), reason));
    }

    /** A redelivered StartAgent: repeat the outcome so far, never start again or resend the prompt. */
    synchronized void answerDuplicate(StartAgent duplicate) {
        switch (state) {
            case STARTED -> reports.report(new AgentStartedReport(duplicate.commandId(), duplicate.taskId(),
                duplicate.deliveryId(), sessionId, command.agent()));
            case FAILED -> reports.report(new AgentFailedReport(duplicate.commandId(), duplicate.taskId(),
                duplicate.deliveryId(), failureReason));
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
