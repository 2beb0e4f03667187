package dev.handoff.bench.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.SendPrompt;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.vmagent.gateway.ReportSink;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * Answers the gateway's commands as a vm-agent would, without git or agent processes: create_workspace is ready at
 * once, start_agent and send_prompt start a turn that streams the prompt's {@link OutputPlan} as
 * agent_message_chunk updates at its rate and then ends, stop_agent stops. Every report goes to the node's
 * {@link ReportSink} (numbered, kept until acked).
 */
final class SimulatedAgents implements AutoCloseable {

    private final ReportSink reports;
    private final SendLog sends;
    private final ExecutorService turns = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sim-agent-turn");
        thread.setDaemon(true);
        return thread;
    });

    SimulatedAgents(ReportSink reports, SendLog sends) {
        this.reports = reports;
        this.sends = sends;
    }

    /** Called on the WebSocket's listener thread: reports are only queued here; turns run on their own thread. */
    void handle(NodeMessage command) {
        if (command instanceof NodeMessage.CreateWorkspace create) {
            reports.report(new NodeMessage.WorkspaceReadyReport(create.commandId(), create.taskId(),
                create.workspaceId(), "/sim/" + create.workspaceId(), "directory", "simulated node"));
        } else if (command instanceof StartAgent start) {
            sends.startAgentReceived(start.taskId(), System.nanoTime());
            String agentSession = "sim-" + UUID.randomUUID();
            reports.report(new NodeMessage.AgentStartedReport(start.commandId(), start.taskId(), start.deliveryId(),
                agentSession, start.agent()));
            turns.execute(() -> streamTurn(start.commandId(), start.taskId(), agentSession, 0,
                OutputPlan.of(start.prompt())));
        } else if (command instanceof SendPrompt prompt) {
            String agentSession = prompt.agentSessionId() != null ? prompt.agentSessionId()
                : "sim-" + UUID.randomUUID();
            reports.report(new NodeMessage.PromptDeliveredReport(prompt.commandId(), prompt.taskId(),
                prompt.deliveryId(), prompt.promptId(), agentSession, "continued"));
            turns.execute(() -> streamTurn(prompt.commandId(), prompt.taskId(), agentSession,
                prompt.afterSequence(), OutputPlan.of(prompt.prompt())));
        } else if (command instanceof NodeMessage.StopAgent stop) {
            reports.report(new NodeMessage.AgentStoppedReport(stop.commandId(), stop.taskId(), stop.deliveryId(),
                "not_running", stop.cleanWorkspace()));
        }
    }

    /** Streams the plan's chunks, each as soon as the rate allows (sub-millisecond rates in small bursts). */
    private void streamTurn(String commandId, String taskId, String agentSession, long afterSequence,
                            OutputPlan plan) {
        sends.planned(taskId, plan.chunks());
        long start = System.nanoTime();
        long sent = 0;
        while (sent < plan.chunks()) {
            long due = Math.min(plan.chunks(), 1 + (long) ((System.nanoTime() - start) / 1e9 * plan.perSecond()));
            while (sent < due) {
                sent++;
                ObjectNode update = Json.MAPPER.createObjectNode().put("sessionUpdate", "agent_message_chunk");
                update.putObject("content").put("type", "text").put("text", OutputPlan.text(sent));
                sends.sent(taskId, sent, System.nanoTime());
                reports.report(new AgentOutputReport(commandId, taskId, agentSession, afterSequence + sent,
                    "agent_message_chunk", update));
            }
            if (sent < plan.chunks()) {
                LockSupport.parkNanos(200_000);
            }
        }
        reports.report(new NodeMessage.TurnEndedReport(commandId, taskId, agentSession, "end_turn",
            afterSequence + plan.chunks()));
    }

    @Override
    public void close() {
        turns.shutdownNow();
    }
}
