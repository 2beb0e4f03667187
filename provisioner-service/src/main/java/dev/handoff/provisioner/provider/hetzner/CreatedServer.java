package dev.handoff.provisioner.provider.hetzner;

/** A create request Hetzner accepted: the server, the action that builds it, and the location that took it. */
public record CreatedServer(HetznerServer server, HetznerAction action, String location) {
}
