package dev.handoff.vmagent.agent;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent processes this vm-agent started, on disk ({@code <work>/agent-processes/<deliveryId>.json}: process id
 * and start time), so a vm-agent started again after it was killed finds the agents that outlived it (a SIGKILL
 * gives the vm-agent no chance to stop its children; they are reparented and may run on) and kills them with their
 * children. The start time guards against a process id the system has given to another process since.
 */
public final class AgentProcessRecords {

    private static final Logger LOG = Logger.getLogger(AgentProcessRecords.class.getName());

    /** One running agent process. */
    public record AgentProcess(String deliveryId, long pid, Instant startedAt) {
    }

    private final JsonRecordDir<AgentProcess> records;

    public AgentProcessRecords(java.nio.file.Path dir) {
        this.records = new JsonRecordDir<>(dir, AgentProcess.class);
    }

    /** Records {@code process} as the agent of {@code deliveryId}; the record goes when the process exits. */
    public void started(String deliveryId, Process process) {
        ProcessHandle handle = process.toHandle();
        Optional<Instant> startedAt = handle.info().startInstant();
        var record = new AgentProcess(deliveryId, handle.pid(), startedAt.orElse(null));
        try {
            records.write(deliveryId, record);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot record agent process {0} of delivery {1}: {2}", new Object[] {
                Long.toString(handle.pid()),
                deliveryId, e.getMessage()});
            return;
        }
        handle.onExit().thenRun(() -> forget(record));
    }

    private synchronized void forget(AgentProcess exited) {
        try {
            Optional<AgentProcess> current = records.find(exited.deliveryId());
            if (current.isPresent() && current.get().pid() == exited.pid()) {
                records.delete(exited.deliveryId());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot forget agent process " + exited.pid(), e);
        }
    }

    /**
     * Kills every recorded agent process that is still alive (it outlived the vm-agent that started it), with its
     * children, and forgets all records. For the start of a vm-agent, before it runs any agent.
     *
     * @return the processes killed
     */
    public synchronized List<ProcessHandle> killLeftovers() {
        List<ProcessHandle> killed = new ArrayList<>();
        List<AgentProcess> left;
        try {
            left = records.all();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list the agent processes of the last run: {0}", e.getMessage());
            return killed;
        }
        for (AgentProcess agent : left) {
            ProcessHandle.of(agent.pid())
                .filter(ProcessHandle::isAlive)
                .filter(handle -> agent.startedAt() != null
                    && handle.info().startInstant().map(agent.startedAt()::equals).orElse(false))
                .ifPresent(handle -> {
                    LOG.log(Level.WARNING, "agent process {0} of delivery {1} outlived the last vm-agent; killing it "
                        + "and its children", new Object[] {Long.toString(agent.pid()), agent.deliveryId()});
                    killed.addAll(ProcessTree.kill(handle));
                });
            try {
                records.delete(agent.deliveryId());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot forget agent process {0}: {1}", new Object[] {Long.toString(agent.pid()),
                    e.getMessage()});
            }
        }
        return killed;
    }
}
