package dev.handoff.vmagent;

import dev.handoff.vmagent.agent.AgentInstaller;
import dev.handoff.vmagent.agent.AgentProcessLauncher;
import dev.handoff.vmagent.agent.AgentSessionRunner;
import dev.handoff.vmagent.agent.AgentsFile;
import dev.handoff.vmagent.gateway.GatewayClient;
import dev.handoff.vmagent.gateway.NodeCredentials;
import dev.handoff.vmagent.gateway.NodeIdentity;
import dev.handoff.vmagent.gateway.OutboundQueue;
import dev.handoff.vmagent.gateway.ReconnectBackoff;
import dev.handoff.vmagent.workspace.DevcontainerCli;
import dev.handoff.vmagent.publish.BranchPublisher;
import dev.handoff.vmagent.publish.PublishConfig;
import dev.handoff.vmagent.node.HeartbeatSender;
import dev.handoff.vmagent.node.NodeVitals;
import dev.handoff.vmagent.workspace.GitClone;
import dev.handoff.vmagent.workspace.ProcessCommandRunner;
import dev.handoff.vmagent.workspace.WorkDirectory;
import dev.handoff.vmagent.workspace.WorkspaceCreator;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import dev.handoff.vmagent.workspace.WorkspaceRuntimeSelector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Wires the vm-agent's parts together: gateway connection, outbound queue, workspace and agent handlers. */
public final class VmAgent {

    private final OutboundQueue outbound;
    private final GatewayClient gateway;
    private final AgentSessionRunner agents;
    private final ExecutorService workers;
    private final BranchPublisher publisher;
    private final HeartbeatSender heartbeats;

    private VmAgent(OutboundQueue outbound, GatewayClient gateway, AgentSessionRunner agents,
                    ExecutorService workers, BranchPublisher publisher, HeartbeatSender heartbeats) {
        this.publisher = publisher;
        this.heartbeats = heartbeats;
        this.outbound = outbound;
        this.gateway = gateway;
        this.agents = agents;
        this.workers = workers;
    }

    /**
     * @param parentEnv this process's environment: only the agents' {@code passEnv} names and the publishing
     *                  settings ({@link PublishConfig}) are taken from it
     * @param version   this vm-agent's version, sent in Hello and in ACP clientInfo
     */
    public static VmAgent create(VmAgentConfig config, AgentsFile agentsFile, Map<String, String> parentEnv,
                                 String version) {
        return create(config, AgentRuntimeConfig.fromEnvironment(parentEnv, config.workDir()), agentsFile, parentEnv,
            version);
    }

    /** @param runtime how agents are installed and where workspaces run (agent cache, devcontainers) */
    public static VmAgent create(VmAgentConfig config, AgentRuntimeConfig runtime, AgentsFile agentsFile,
                                 Map<String, String> parentEnv, String version) {
        var outbound = new OutboundQueue(config.maxUnackedBytes());
        try {
            WorkDirectory.secure(config.workDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot make the work directory " + config.workDir()
                + " the node user's only", e);
        }
        var paths = new WorkspacePaths(config.workDir());
        var publishing = PublishConfig.fromEnvironment(parentEnv);
        var workspaces = new WorkspaceCreator(paths, new GitClone(config.cloneTimeout(), config.repositoryPolicy()),
            runtime.devcontainers() ? runtimeSelector(runtime, parentEnv) : null, publishing.githubHosts());
        var installer = new AgentInstaller(runtime.agentCacheDir(), List.of(runtime.npm()),
            runtime.agentInstallTimeout(), parentEnv, agentsFile.passEnvNames());
        var launcher = new AgentProcessLauncher(parentEnv, installer, List.of(runtime.docker()));
        var publisher = new BranchPublisher(paths, publishing, outbound);
        var agents = new AgentSessionRunner(agentsFile, paths, launcher,
            config.agentStartTimeout(), config.agentStopGrace(), config.agentIdleTimeout(), version, outbound, publisher);
        ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
            var thread = new Thread(runnable, "command-worker");
            thread.setDaemon(true);
            return thread;
        });
        var identity = new NodeIdentity(config.nodeId(), config.nodeToken(), config.hostname(), version);
        var gateway = new GatewayClient(config.gatewayUrl(), identity, outbound,
            new CommandDispatcher(workers, workspaces, agents, outbound), ReconnectBackoff.withDefaults(),
            new NodeCredentials(config.workDir(), config.nodeId()));
        var heartbeats = new HeartbeatSender(new NodeVitals(config.workDir()), outbound, config.heartbeatInterval());
        return new VmAgent(outbound, gateway, agents, workers, publisher, heartbeats);
    }

    private static WorkspaceRuntimeSelector runtimeSelector(AgentRuntimeConfig runtime, Map<String, String> parentEnv) {
        return new WorkspaceRuntimeSelector(new ProcessCommandRunner(parentEnv), List.of(runtime.docker()),
            new DevcontainerCli(List.of(runtime.devcontainerCli()), runtime.devcontainerFeatures()),
            runtime.devcontainerUpTimeout(), List.of(runtime.agentCacheDir()));
    }

    /**
     * Runs until the gateway refuses this node or {@link #shutdown()} is called.
     *
     * @return the process exit code: {@link GatewayClient#EXIT_REFUSED} or {@link GatewayClient#EXIT_STOPPED}
     */
    public int run() {
        outbound.start();
        agents.recoverFromLastRun();
        heartbeats.start();
        return gateway.runUntilRefusedOrStopped();
    }

    /** Stops the connection and kills every agent's process tree. */
    public void shutdown() {
        heartbeats.close();
        gateway.stop();
        workers.shutdownNow();
        publisher.shutdown();
        agents.killAllAgents();
        outbound.close();
    }
}
