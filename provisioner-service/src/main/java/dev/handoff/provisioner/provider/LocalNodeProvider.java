package dev.handoff.provisioner.provider;

import dev.handoff.provisioner.config.ProvisionerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code local} provider: runs the real vm-agent program on this machine as a separate process, in its own
 * folder, with a clean environment. The one-time token reaches it in its environment, never on its command line.
 */
@ApplicationScoped
public class LocalNodeProvider {

    public static final String NAME = "local";

    private static final Logger LOG = Logger.getLogger(LocalNodeProvider.class);

    /** The node folder's record of its vm-agent: process id and start time. */
    static final String PID_FILE = "vm-agent.pid";

    @Inject
    ProvisionerConfig config;

    /**
     * Starts a vm-agent for {@code nodeId}; it dials the gateway with {@code token}. Only an operator's node
     * ({@code forOperator}) gets the variables of {@code operator-only-env} (the installation's model keys).
     */
    public Process launch(String nodeId, String token, boolean forOperator) throws IOException {
        ProvisionerConfig.Local local = config.local();
        Path jar = local.vmAgentJar().orElseThrow(() -> new IllegalStateException(
            "handoff.provisioner.local.vm-agent-jar is not set: the local provider cannot start nodes"));
        Path nodeDir = local.workDir().resolve(nodeId).toAbsolutePath();
        Files.createDirectories(nodeDir);
        ProcessBuilder builder = new ProcessBuilder(List.of(local.java(), "-Xmx256m", "-jar",
            jar.toAbsolutePath().toString()))
            .directory(nodeDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(nodeDir.resolve("vm-agent.log").toFile());
        Map<String, String> env = builder.environment();
        Map<String, String> parent = Map.copyOf(env);
        env.clear();
        env.put("PATH", parent.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", nodeDir.toString());
        env.put("LANG", "C.UTF-8");
        copy(parent, env, "JAVA_HOME");
        for (String name : local.passEnv()) {
            if (forOperator || !local.operatorOnlyEnv().contains(name)) {
                copy(parent, env, name);
            }
        }
        env.put("HANDOFF_GATEWAY_URL", local.gatewayUrl());
        env.put("HANDOFF_NODE_ID", nodeId);
        env.put("HANDOFF_NODE_TOKEN", token);
        env.put("HANDOFF_WORK_DIR", nodeDir.toString());
        local.agentsFile().ifPresent(file -> env.put("HANDOFF_AGENTS_FILE", file.toAbsolutePath().toString()));
        Process process = builder.start();
        Files.writeString(nodeDir.resolve(PID_FILE), process.pid() + " "
            + process.info().startInstant().map(Object::toString).orElse("-") + "\n");
        LOG.infof("node %s: vm-agent started as process %d in %s", nodeId, process.pid(), nodeDir);
        return process;
    }

    /**
     * The node's vm-agent process if one is alive: the one its pid record names (and whose start time matches, so
     * a reused process id does not count), else any java process working in the node's folder (started just before
     * a crash, its pid record not yet written). So a resumed launch never starts a second vm-agent for a node.
     */
    public Optional<ProcessHandle> runningProcess(String nodeId) {
        Path nodeDir = config.local().workDir().resolve(nodeId).toAbsolutePath();
        if (!Files.isDirectory(nodeDir)) {
            return Optional.empty();
        }
        try {
            String[] record = Files.readString(nodeDir.resolve(PID_FILE)).strip().split(" ");
            Optional<ProcessHandle> recorded = ProcessHandle.of(Long.parseLong(record[0]))
                .filter(ProcessHandle::isAlive)
                .filter(p -> record.length < 2 || "-".equals(record[1])
                    || p.info().startInstant().map(Object::toString).map(record[1]::equals).orElse(true));
            if (recorded.isPresent()) {
                return recorded;
            }
        } catch (IOException | RuntimeException e) {
            // no record yet: look for a process in the folder
        }
        return ProcessHandle.allProcesses().filter(p -> nodeDir.equals(cwd(p))).findFirst();
    }

    private static Path cwd(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * Deletes a local node: stops its vm-agent process (process id {@code providerRef}) and everything it started,
     * politely first, then forcibly after 10 seconds. A process already gone is fine.
     */
    public void stop(String nodeId, String providerRef) {
        if (providerRef == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(providerRef)).ifPresent(process -> {
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroy();
            descendants.forEach(ProcessHandle::destroy);
            try {
                process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
            LOG.infof("node %s: vm-agent process %s stopped", nodeId, providerRef);
        });
    }

    /** The last lines the node's vm-agent wrote, for failure reasons. */
    public String logTail(String nodeId, int lines) {
        Path log = config.local().workDir().resolve(nodeId).resolve("vm-agent.log");
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String name) {
        String value = from.get(name);
        if (value != null) {
            to.put(name, value);
        }
    }
}
