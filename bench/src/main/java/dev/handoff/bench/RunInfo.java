package dev.handoff.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Where and on what a benchmark ran: date, code version, machine, JVM. */
record RunInfo(OffsetDateTime date, String gitCommit, String builtAt, int cores, String cpu, String memory, String os,
               String jvm) {

    /** The builds the stack runs; bin/bench reuses them when present, so they may be older than the commit. */
    static final List<String> BUILDS = List.of("chat-service/target/quarkus-app/quarkus-run.jar",
        "orchestrator-service/target/quarkus-app/quarkus-run.jar",
        "provisioner-service/target/quarkus-app/quarkus-run.jar",
        "vm-agent-gateway/target/quarkus-app/quarkus-run.jar", "vm-agent/target/vm-agent.jar");

    static RunInfo of(Path repoRoot, OffsetDateTime date) {
        String commit = command(repoRoot, "git", "rev-parse", "--short", "HEAD");
        String changes = command(repoRoot, "git", "status", "--porcelain", "--untracked-files=no");
        if (!changes.isEmpty() && !changes.startsWith("(")) {
            commit += " (with uncommitted changes to tracked files)";
        }
        return new RunInfo(date, commit, builtAt(repoRoot), Runtime.getRuntime().availableProcessors(),
            procField("/proc/cpuinfo", "model name"), readableMemory(procField("/proc/meminfo", "MemTotal")),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.vendor") + ")");
    }

    /** The run as a two-column Markdown table (date, commit, build, machine, JVM): how the relay and throughput
     * reports open. */
    String markdownTable() {
        return "| | |\n|---|---|\n"
            + "| date | " + dateText() + " |\n"
            + "| git commit | " + gitCommit + " (HEAD at run time) |\n"
            + "| services built | " + builtAt + " |\n"
            + "| machine | " + cores + " cores (" + cpu + "), " + memory + " RAM, " + os + " |\n"
            + "| JVM | " + jvm + " |\n";
    }

    String dateText() {
        return date.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** When the oldest and the newest of {@link #BUILDS} were built ("a .. b"). */
    private static String builtAt(Path repoRoot) {
        List<Instant> times = new ArrayList<>();
        for (String build : BUILDS) {
            try {
                times.add(Files.getLastModifiedTime(repoRoot.resolve(build)).toInstant().truncatedTo(ChronoUnit.SECONDS));
            } catch (IOException e) {
                return "unknown (" + build + ": " + e.getMessage() + ")";
            }
        }
        Collections.sort(times);
        return times.get(0) + " .. " + times.get(times.size() - 1);
    }

    /** The command's trimmed output, or "(unknown: reason)". */
    private static String command(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "(unknown: " + String.join(" ", command) + " failed)";
            }
            return output;
        } catch (IOException e) {
            return "(unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown: interrupted)";
        }
    }

    /** "24684084 kB" as "23.5 GiB". */
    private static String readableMemory(String memTotal) {
        String[] parts = memTotal.split("\\s+");
        if (parts.length == 2 && parts[1].equals("kB") && parts[0].matches("\\d+")) {
            return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(parts[0]) / (1024.0 * 1024.0));
        }
        return memTotal;
    }

    private static String procField(String file, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream().filter(l -> l.startsWith(field)).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
