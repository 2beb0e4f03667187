package dev.handoff.vmagent;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.CreateWorkspace;
import dev.handoff.contracts.node.NodeMessage.AgentStoppedReport;
import dev.handoff.contracts.node.NodeMessage.AnswerPermission;
import dev.handoff.contracts.node.NodeMessage.SendPrompt;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.StopAgent;
import dev.handoff.vmagent.agent.AgentSessionRunner;
import dev.handoff.vmagent.gateway.CommandHandler;
import dev.handoff.vmagent.gateway.ReportSink;
import dev.handoff.vmagent.workspace.WorkspaceCreator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs each gateway command on a worker thread, so the WebSocket listener keeps reading. */
final class CommandDispatcher implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class.getName());

    private final ExecutorService workers;
    private final WorkspaceCreator workspaces;
    private final AgentSessionRunner agents;
    private final ReportSink reports;

    CommandDispatcher(ExecutorService workers, WorkspaceCreator workspaces, AgentSessionRunner agents,
                      ReportSink reports) {
        this.workers = workers;
        this.workspaces = workspaces;
        this.agents = agents;
        this.reports = reports;
    }

    @Override
    public void handle(NodeMessage command) {
        try {
            workers.execute(() -> execute(command));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down; not running {0}", command.getClass().getSimpleName());
        }
    }

    private void execute(NodeMessage command) {
        try {
            if (command instanceof CreateWorkspace createWorkspace) {
                LOG.log(Level.INFO, "command {0}: create workspace {1} for task {2}", new Object[] {
                    createWorkspace.commandId(), createWorkspace.workspaceId(), createWorkspace.taskId()});
                reports.report(workspaces.createWorkspace(createWorkspace));
            } else if (command instanceof StartAgent startAgent) {
                LOG.log(Level.INFO, "command {0}: start agent {1} in workspace {2} for delivery {3}", new Object[] {
                    startAgent.commandId(), startAgent.agent(), startAgent.workspaceId(), startAgent.deliveryId()});
                agents.startAgent(startAgent);
            } else if (command instanceof SendPrompt sendPrompt) {
                LOG.log(Level.INFO, "command {0}: prompt {1} for delivery {2} in workspace {3}", new Object[] {
                    sendPrompt.commandId(), sendPrompt.promptId(), sendPrompt.deliveryId(), sendPrompt.workspaceId()});
                agents.sendPrompt(sendPrompt);
            } else if (command instanceof AnswerPermission answer) {
                LOG.log(Level.INFO, "command {0}: answer {1} to permission request {2} of delivery {3}", new Object[] {
                    answer.commandId(), answer.optionId(), answer.requestId(), answer.deliveryId()});
                agents.answerPermission(answer);
            } else if (command instanceof StopAgent stopAgent) {
                LOG.log(Level.INFO, "command {0}: stop agent of delivery {1} in workspace {2} ({3}), clean: {4}",
                    new Object[] {stopAgent.commandId(), stopAgent.deliveryId(), stopAgent.workspaceId(),
                        stopAgent.reason(), stopAgent.cleanWorkspace()});
                reports.report(stopAgent(stopAgent));
            } else {
                LOG.log(Level.WARNING, "ignoring {0}: not a command for nodes", command.getClass().getSimpleName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "command " + command.getClass().getSimpleName() + " failed unexpectedly", e);
        }
    }

    /** Stops the agent, then deletes the workspace if asked; idempotent, so a redelivered stop is answered alike. */
    AgentStoppedReport stopAgent(StopAgent command) throws InterruptedException {
        String how = agents.stopAgent(command.deliveryId());
        boolean cleaned = command.cleanWorkspace() && workspaces.deleteWorkspace(command.workspaceId());
        return new AgentStoppedReport(command.commandId(), command.taskId(), command.deliveryId(), how, cleaned);
    }
}
