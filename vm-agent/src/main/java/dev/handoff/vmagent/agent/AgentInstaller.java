package dev.handoff.vmagent.agent;

import dev.handoff.vmagent.TextTail;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Installs agent packages on demand into the node's agent cache: {@code npm install <package>@<version>} into
 * {@code <cache>/<package>@<version>}, once. The first start of an agent installs it; concurrent starts wait for
 * that one install (a lock per package: in this process a monitor, across processes a file lock on
 * {@code <cache>/<package>@<version>.lock}). A directory counts as installed only once its marker file
 * {@value #MARKER} is written after npm succeeded; a half-finished install is removed and done again.
 * npm's output goes to {@code <cache>/<package>@<version>.install.log}.
 */
public final class AgentInstaller {

    private static final Logger LOG = Logger.getLogger(AgentInstaller.class.getName());

    /** Written into an install directory after npm succeeded. */
    static final String MARKER = ".handoff-installed";
    private static final int LOG_LINES = 15;

    private final Path cacheDir;
    private final List<String> npmCommand;
    private final Duration timeout;
    private final Map<String, String> npmEnv;
    private final ConcurrentMap<Path, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param cacheDir      where packages are installed
     * @param npmCommand    the npm executable and any leading arguments, normally {@code ["npm"]}
     * @param timeout       limit for one npm install
     * @param parentEnv     the vm-agent's environment, given to npm (registry, proxy settings) without
     *                      {@code withheld}
     * @param withheld      variable names npm never gets (the agents' API keys)
     */
    public AgentInstaller(Path cacheDir, List<String> npmCommand, Duration timeout, Map<String, String> parentEnv,
                          Set<String> withheld) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.npmCommand = List.copyOf(npmCommand);
        this.timeout = timeout;
        Map<String, String> env = new LinkedHashMap<>(parentEnv);
        env.keySet().removeAll(withheld);
        this.npmEnv = Map.copyOf(env);
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** Where {@code pkg} is (or would be) installed. */
    public Path installDir(AgentPackage pkg) {
        return cacheDir.resolve(pkg.directoryName());
    }

    /** @return whether {@code pkg} is completely installed */
    public boolean isInstalled(AgentPackage pkg) {
        return Files.isRegularFile(installDir(pkg).resolve(MARKER));
    }

    /**
     * Installs {@code pkg} unless it is installed already.
     *
     * @return the package's install directory ({@code <cache>/<package>@<version>})
     * @throws AgentInstallException when npm failed or ran out of time; the message names the package, the
     *                               reason and npm's last output lines
     */
    public Path ensureInstalled(AgentPackage pkg) throws AgentInstallException, InterruptedException {
        Path dir = installDir(pkg);
        if (isInstalled(pkg)) {
            return dir;
        }
        synchronized (locks.computeIfAbsent(dir, d -> new Object())) {
            try {
                Files.createDirectories(cacheDir);
                try (FileChannel channel = FileChannel.open(cacheDir.resolve(pkg.directoryName() + ".lock"),
                         StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    if (!isInstalled(pkg)) {
                        install(pkg, dir);
                    }
                }
            } catch (AgentInstallException e) {
                throw e;
            } catch (IOException e) {
                throw failure(pkg, dir, e.toString(), null);
            }
        }
        return dir;
    }

    private void install(AgentPackage pkg, Path dir) throws IOException, InterruptedException {
        deleteTree(dir);
        Files.createDirectories(dir);
        // Its own package.json keeps npm from walking up to an enclosing project.
        Files.writeString(dir.resolve("package.json"),
            "{\"name\": \"handoff-agent-cache\", \"private\": true}\n", StandardCharsets.UTF_8);
        Path log = cacheDir.resolve(pkg.directoryName() + ".install.log");
        List<String> command = new ArrayList<>(npmCommand);
        command.addAll(List.of("install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
            "--no-update-notifier", "--save-exact", pkg.spec()));
        LOG.log(Level.INFO, "installing agent package {0} into {1}", new Object[] {pkg.spec(), dir});
        long started = System.nanoTime();
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(npmEnv);
        Process npm;
        try {
            npm = builder.start();
        } catch (IOException e) {
            throw failure(pkg, dir, "cannot run " + npmCommand.get(0) + ": " + e.getMessage(), null);
        }
        try {
            if (!npm.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.awaitExit(ProcessTree.kill(npm.toHandle()), Duration.ofSeconds(5));
                throw failure(pkg, dir, "npm did not finish within " + timeout.toSeconds() + " s", log);
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(npm.toHandle());
            throw e;
        }
        if (npm.exitValue() != 0) {
            throw failure(pkg, dir, "npm exited with code " + npm.exitValue(), log);
        }
        Files.writeString(dir.resolve(MARKER), pkg.spec() + "\n", StandardCharsets.UTF_8);
        LOG.log(Level.INFO, "agent package {0} installed in {1} s", new Object[] {pkg.spec(),
            Duration.ofNanos(System.nanoTime() - started).toSeconds()});
    }

    private static AgentInstallException failure(AgentPackage pkg, Path dir, String why, Path log) {
        var message = new StringBuilder("installing agent package ").append(pkg.spec()).append(" into ")
            .append(dir).append(" failed: ").append(why);
        if (log != null) {
            String tail = TextTail.lastLinesOf(log, null, LOG_LINES);
            if (!tail.isEmpty()) {
                message.append("; npm output (").append(log).append("): ").append(tail);
            }
        }
        LOG.log(Level.WARNING, message.toString());
        return new AgentInstallException(message.toString());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
