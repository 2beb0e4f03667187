package dev.handoff.vmagent.agent;

import dev.handoff.vmagent.TextTail;
import java.util.concurrent.TimeUnit;

/** Failure reasons that say what went wrong, how the process ended and what it last wrote to stderr. */
final class AgentFailureReason {

    private static final int STDERR_LINES = 10;

    private AgentFailureReason() {
    }

    static String describe(String problem, Process process, AgentHome home) throws InterruptedException {
        var reason = new StringBuilder(problem);
        if (process != null) {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                reason.append("; agent process exited with code ").append(process.exitValue());
            } else {
                reason.append("; agent process was still running and is being stopped");
            }
        }
        String stderr = TextTail.lastLinesOf(home.stderrLog(), AgentProcessLauncher.START_MARKER, STDERR_LINES);
        if (!stderr.isEmpty()) {
            reason.append("; last stderr lines (").append(home.stderrLog()).append("): ").append(stderr);
        }
        return reason.toString();
    }
}
