package dev.handoff.provisioner.provider.hetzner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Polls every poll-interval, up to the action timeout: {@code GET /v1/actions/{id}} until the action succeeds or
 * fails, or {@code GET /v1/servers/{id}} until the server is running.
 */
final class ActionPoller {

    private final HetznerHttp http;
    private final Duration interval;
    private final Duration timeout;
    private final Sleeper sleeper;
    private final Clock clock;

    ActionPoller(HetznerHttp http, Duration interval, Duration timeout, Sleeper sleeper, Clock clock) {
        this.http = http;
        this.interval = interval;
        this.timeout = timeout;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** The action once {@code success}; throws {@link HetznerActionException} on {@code error} or timeout. */
    HetznerAction awaitSuccess(long actionId) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            HetznerAction action = HetznerJson.action(http.send("GET", "/v1/actions/" + actionId, null)
                .path("action"));
            if (action.succeeded()) {
                return action;
            }
            if (action.failed()) {
                throw new HetznerActionException(actionId, action.errorCode().orElse("unknown"),
                    "Hetzner action " + actionId + " (" + action.command() + ") failed: "
                        + action.errorCode().orElse("unknown") + " " + action.errorMessage().orElse(""));
            }
            if (!clock.instant().plus(interval).isBefore(deadline)) {
                throw new HetznerActionException(actionId, "timeout", "Hetzner action " + actionId + " ("
                    + action.command() + ") still " + action.status() + " after " + timeout.toSeconds() + " s");
            }
            pause("action " + actionId);
        }
    }

    /** The server once {@code running}; throws {@link HetznerActionException} (action id 0) on timeout. */
    HetznerServer awaitRunning(long serverId) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            HetznerServer server = HetznerJson.server(http.send("GET", "/v1/servers/" + serverId, null)
                .path("server"));
            if ("running".equals(server.status())) {
                return server;
            }
            if (!clock.instant().plus(interval).isBefore(deadline)) {
                throw new HetznerActionException(0, "timeout", "Hetzner server " + serverId + " still "
                    + server.status() + " after " + timeout.toSeconds() + " s");
            }
            pause("server " + serverId);
        }
    }

    private void pause(String what) {
        try {
            sleeper.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HetznerApiException("interrupted while waiting for Hetzner " + what, e);
        }
    }
}
