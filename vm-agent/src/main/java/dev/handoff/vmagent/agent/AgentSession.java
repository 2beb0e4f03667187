package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.AgentStartedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.gateway.ReportSink;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One agent started for one delivery, and the order of its reports: AgentStarted first, then outputs numbered
 * 1, 2, 3... in the order the agent wrote them, then TurnEnded (or AgentFailed). Outputs the agent sends before
 * AgentStarted is reported (e.g. right after session/new) are held and follow it. If the start fails, only
 * AgentFailed is reported.
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

    /** Kills the agent and everything it spawned: wrappers leave native children behind. */
    void killProcessTree() {
        stopping = true;
        Process agentProcess = process;
        if (agentProcess == null) {
            return;
        }
        agentProcess.descendants().forEach(ProcessHandle::destroyForcibly);
        agentProcess.destroyForcibly();
    }

    private void emit(NodeMessage report) {
        if (state == State.STARTING) {
            heldUntilStarted.add(report);
        } else {
            reports.report(report);
        }
    }
}
