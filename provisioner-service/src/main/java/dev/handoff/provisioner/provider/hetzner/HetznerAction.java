package dev.handoff.provisioner.provider.hetzner;

import java.util.Optional;

/** A Hetzner action: {@code status} is running, success or error; an error carries Hetzner's code and message. */
public record HetznerAction(long id, String command, String status, Optional<String> errorCode,
                            Optional<String> errorMessage) {

    public boolean isRunning() {
        return "running".equals(status);
    }

    public boolean succeeded() {
        return "success".equals(status);
    }

    public boolean failed() {
        return "error".equals(status);
    }
}
