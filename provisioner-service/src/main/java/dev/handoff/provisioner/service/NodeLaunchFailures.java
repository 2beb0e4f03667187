package dev.handoff.provisioner.service;

import dev.handoff.provisioner.provider.hetzner.HetznerActionException;
import dev.handoff.provisioner.provider.hetzner.HetznerApiException;
import dev.handoff.provisioner.provider.hetzner.HetznerNoCapacityException;
import dev.handoff.provisioner.provider.hetzner.HetznerTokenRefusedException;

/**
 * Classifies why a node could not be launched, for NodeFailed's {@code retryable}: the provider could not be reached,
 * answered 429 or 5xx (after the client's own retries), or had no capacity anywhere -> transient, the orchestrator
 * may ask again later; a refused token, any other 4xx (quota, invalid size or image), an action that ended in error
 * (a server may exist: never doubled by a retry), or a local process that could not start -> permanent.
 */
public final class NodeLaunchFailures {

    /** How a launch failed: {@code retryable} and a short stable {@code kind}. */
    public record Classification(boolean retryable, String kind) {
    }

    private NodeLaunchFailures() {
    }

    public static Classification classify(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof HetznerApiException)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            return new Classification(false, "launch_failed");
        }
        HetznerApiException api = (HetznerApiException) cause;
        if (api instanceof HetznerTokenRefusedException) {
            return new Classification(false, "authentication");
        }
        if (api instanceof HetznerActionException) {
            return new Classification(false, "provider_action_failed");
        }
        if (api instanceof HetznerNoCapacityException) {
            return new Classification(true, "no_capacity");
        }
        if (api.status() == 0) {
            return new Classification(true, "network");
        }
        if (api.status() == 429) {
            return new Classification(true, "rate_limited");
        }
        if (api.status() >= 500) {
            return new Classification(true, "server_error");
        }
        return new Classification(false, "invalid_request");
    }
}
