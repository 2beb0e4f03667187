package dev.handoff.vmagent.git;

import java.io.IOException;

/** Git did not finish within its time limit and was killed. */
public final class GitTimeoutException extends IOException {
    public GitTimeoutException(String message) {
        super(message);
    }
}
