package dev.handoff.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A child OS process with its stdout and stderr appended to a log file.
 *
 * <p>{@link #kill()} sends SIGKILL to the process and all its descendants and reaps it; {@link #stop()} sends SIGTERM, waits, then kills. A process that was started can be
 * started again with {@link #restart()} (same command, environment, directory and log file).
 * When this JVM exits normally (or on SIGTERM/SIGINT) a shutdown hook stops every process still
 * running, so nothing outlives the test JVM; after a SIGKILL of this JVM the children stay.
 */
public final class ManagedProcess implements AutoCloseable {

    /** Started processes, stopped by a shutdown hook if this JVM exits normally while they run. */
    private static final java.util.Set<ManagedProcess> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicBoolean HOOK = new java.util.concurrent.atomic.AtomicBoolean();

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final boolean inheritEnv;
    private final Path workDir;
    private final Path logFile;
    private volatile Process process;
    /** Variables laid over {@link #env} for every later start, until changed ({@link #reconfigure}). */
    private volatile Map<String, String> overrides = Map.of();

    private ManagedProcess(Builder b) {
        this.name = b.name;
        this.command = List.copyOf(b.command);
        this.env = Map.copyOf(b.env);
        this.inheritEnv = b.inheritEnv;
        this.workDir = b.workDir;
        this.logFile = b.logFile;
    }

    /** Starts a process; {@code env} is added to this JVM's environment. */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
        return builder(name, command).env(env).workDir(workDir).logFile(logFile).start();
    }

    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    public static final class Builder {
        private final String name;
        private final List<String> command;
        private final Map<String, String> env = new java.util.LinkedHashMap<>();
        private boolean inheritEnv = true;
        private Path workDir;
        private Path logFile;

        private Builder(String name, List<String> command) {
            this.name = Objects.requireNonNull(name, "name");
            this.command = new ArrayList<>(command);
            if (this.command.isEmpty()) {
                throw new IllegalArgumentException("empty command");
            }
        }

        /** Variables added to (or, with {@link #cleanEnv()}, making up) the child's environment. */
        public Builder env(Map<String, String> vars) {
            env.putAll(vars);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Start from an empty environment instead of this JVM's. */
        public Builder cleanEnv() {
            inheritEnv = false;
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Appends stdout and stderr here (default: a temp file). */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        public ManagedProcess start() {
            if (logFile == null) {
                try {
                    logFile = Files.createTempFile(name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-", ".log");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            ManagedProcess p = new ManagedProcess(this);
            p.launch();
            return p;
        }
    }

    private void launch() {
        launch(Map.of());
    }

    /** Starts the command with {@code envChanges} laid over its environment, for this run only. */
    private synchronized void launch(Map<String, String> envChanges) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            if (logFile.getParent() != null) {
                Files.createDirectories(logFile.getParent());
            }
            Files.writeString(logFile, "---- " + java.time.Instant.now() + " starting " + name + ": " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command);
            if (!inheritEnv) {
                pb.environment().clear();
            }
            pb.environment().putAll(env);
            pb.environment().putAll(overrides);
            pb.environment().putAll(envChanges);
            if (workDir != null) {
                Files.createDirectories(workDir);
                pb.directory(workDir.toFile());
            }
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            process = pb.start();
            STARTED.add(this);
            if (HOOK.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(ManagedProcess::stopAllOnExit, "managed-process-cleanup"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    public String name() {
        return name;
    }

    public List<String> command() {
        return command;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Exit code, or -1 while running. */
    public int exitValue() {
        Process p = process;
        return p == null || p.isAlive() ? -1 : p.exitValue();
    }

    public Process process() {
        return process;
    }

    /** SIGKILL the process and all its descendants, then wait until it is gone (reaped). */
    public synchronized void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        killTree(p.toHandle());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + p.pid() + ") did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGKILL this process only, as a crash would: its children live on (a provisioner's nodes, say), as they would
     * on a real machine. Waits until it is gone.
     */
    public synchronized void crash() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + p.pid() + ") did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, wait up to {@code grace} for it to exit, then {@link #kill()} whatever is left. */
    public synchronized void stop(Duration grace) {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> descendants = p.descendants().toList();
        if (p.isAlive()) {
            p.destroy();
            try {
                p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // children the process left behind (or that outlived it)
        descendants.forEach(ProcessHandle::destroyForcibly);
        kill();
    }

    /**
     * SIGTERM this process only, wait up to {@code grace} for it to exit, then SIGKILL it; its children live on (a
     * provisioner's local nodes, say), as they do when a service is redeployed. Waits until it is gone.
     */
    public synchronized void stopProcessOnly(Duration grace) {
        Process p = process;
        if (p == null) {
            return;
        }
        if (p.isAlive()) {
            p.destroy();
            try {
                p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        crash();
    }

    /** {@link #stop(Duration)} with a 20 second grace period. */
    public void stop() {
        stop(Duration.ofSeconds(20));
    }

    /**
     * From the next start on, runs with {@code changes} laid over the environment it was built with (an empty map:
     * that environment again), for every later {@link #restart()} too. Does not touch a running process.
     */
    public void reconfigure(Map<String, String> changes) {
        overrides = Map.copyOf(changes);
    }

    /** Starts the same command again (the previous run must have ended: kill or stop it first). */
    public void restart() {
        launch();
    }

    /**
     * Starts the same command again with {@code envChanges} added to (or replacing in) its environment for this run
     * only; a later {@link #restart()} has the original environment again. E.g. a crash test arms a crash point for
     * one run.
     */
    public void restart(Map<String, String> envChanges) {
        launch(envChanges);
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * JVM exit (normal or SIGTERM/SIGINT, not SIGKILL): no child outlives its parent JVM. SIGTERM
     * first, SIGKILL (whole tree) for whatever still runs after 5 s.
     */
    private static void stopAllOnExit() {
        List<Process> running = STARTED.stream().map(m -> m.process).filter(p -> p != null && p.isAlive()).toList();
        List<ProcessHandle> trees = new ArrayList<>();
        for (Process p : running) {
            trees.add(p.toHandle());
            trees.addAll(p.descendants().toList()); // before they are re-parented
            p.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Process p : running) {
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                break;
            }
        }
        trees.forEach(ProcessHandle::destroyForcibly);
    }

    /** Waits up to {@code timeout} for the process to exit; true if it did. */
    public boolean waitForExit(Duration timeout) {
        Process p = process;
        if (p == null) {
            return true;
        }
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}, {@code KILL}, ...) with {@code kill(1)}. */
    public static boolean sendSignal(long pid, String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            k.getInputStream().readAllBytes();
            return k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILLs {@code root} and its descendants and waits (up to 10 s) until they are gone or zombies. */
    static void killTree(ProcessHandle root) {
        // collect first: once the root dies its children are re-parented and invisible from here
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        Collections.reverse(all);
        root.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle h : all) {
            while (isRunning(h.pid()) && System.nanoTime() < deadline) {
                pause(20);
            }
        }
    }

    /** True if {@code pid} exists and is not a zombie (Linux: reads /proc; elsewhere ProcessHandle). */
    public static boolean isRunning(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (Files.isDirectory(Path.of("/proc", "self"))) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("State:")) {
                        char state = line.substring("State:".length()).strip().charAt(0);
                        return state != 'Z' && state != 'X';
                    }
                }
                return true;
            } catch (IOException gone) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The last {@code lines} lines of the log file. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log file " + file + ")";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int chunk = (int) Math.min(len, Math.max(8192L, lines * 400L));
            byte[] buf = new byte[chunk];
            f.seek(len - chunk);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            String[] all = text.split("\n", -1);
            int from = Math.max(0, all.length - lines - (text.endsWith("\n") ? 1 : 0));
            return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length)).stripTrailing();
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /**
     * Polls {@code url} with GET until it answers 2xx; fails early (with the log tail) if the process
     * exits, or after {@code timeout}.
     */
    public void waitForHttp(String url, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + exitValue() + " while waiting for " + url
                        + "\n--- log tail (" + logFile + ") ---\n" + logTail(40));
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
                last = "HTTP " + r.statusCode() + " " + Replies.snippet(r.body(), 300);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + url, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready at " + url + " after " + timeout + " (last: " + last + ")"
                        + "\n--- log tail (" + logFile + ") ---\n" + logTail(40));
            }
            pause(200);
        }
    }

    /**
     * Waits until {@code check} returns true, failing with the log tail if the process exits or the
     * timeout passes. Exceptions from the check count as "not yet" (the last one is reported).
     */
    public void waitUntil(String what, Duration timeout, java.util.concurrent.Callable<Boolean> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + exitValue() + " while waiting until " + what
                        + "\n--- log tail (" + logFile + ") ---\n" + logTail(60));
            }
            try {
                if (Boolean.TRUE.equals(check.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": not " + what + " after " + timeout
                        + (last == null ? "" : " (last error: " + last + ")")
                        + "\n--- log tail (" + logFile + ") ---\n" + logTail(60));
            }
            pause(100);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + pid() + ")" : " (not running)");
    }
}
