package dev.handoff.provisioner.provider.hetzner;

import java.util.Optional;

/**
 * A server Hetzner accepted: the server, the action that builds it, and the location that took it. The action is
 * empty when the create found the node's server already there (a create retried after a lost answer): wait with
 * {@link HetznerClient#awaitRunning} instead.
 */
public record CreatedServer(HetznerServer server, Optional<HetznerAction> action, String location) {
}
