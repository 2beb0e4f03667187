package dev.handoff.vmagent.node;

import dev.handoff.contracts.node.NodeMessage.Heartbeat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads this machine's load average, memory and the free disk space of the work directory. */
public final class NodeVitals {

    private final Path workDir;

    public NodeVitals(Path workDir) {
        this.workDir = workDir;
    }

    /** The vital signs now, as the heartbeat frame carrying them. */
    public Heartbeat read() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long total = -1;
        long available = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean extended) {
            total = extended.getTotalMemorySize();
            available = extended.getFreeMemorySize();
        }
        return new Heartbeat(os.getSystemLoadAverage(), os.getAvailableProcessors(), Math.max(0, total),
            Math.max(0, available), diskFree());
    }

    private long diskFree() {
        try {
            return Files.getFileStore(workDir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }
}
