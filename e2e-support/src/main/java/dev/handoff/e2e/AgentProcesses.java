package dev.handoff.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The processes working in a directory, found by their current directory (Linux /proc). */
final class AgentProcesses {

    private AgentProcesses() {
    }

    /**
     * Every live process whose current directory is {@code dir} or inside it, also when the directory was deleted
     * meanwhile (the kernel then shows the old path followed by " (deleted)").
     */
    static List<ProcessHandle> in(Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
            String cwd = cwd(p);
            return cwd != null && (cwd.equals(prefix) || cwd.startsWith(prefix + "/") || cwd.startsWith(prefix + " "));
        }).toList();
    }

    private static String cwd(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
