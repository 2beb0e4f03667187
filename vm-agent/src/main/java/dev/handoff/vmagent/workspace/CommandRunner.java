package dev.handoff.vmagent.workspace;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a short command to completion; a seam so that tests can stand in for docker and the devcontainer CLI. */
public interface CommandRunner {

    /** What a finished command printed. */
    record Result(int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * @throws IOException when the command cannot be started (not installed) or did not finish in time
     */
    Result run(List<String> command, Duration timeout) throws IOException, InterruptedException;
}
