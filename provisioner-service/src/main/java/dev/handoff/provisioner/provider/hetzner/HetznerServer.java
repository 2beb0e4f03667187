package dev.handoff.provisioner.provider.hetzner;

import java.util.Map;
import java.util.Optional;

/** The parts of a Hetzner server Handoff uses. {@code status}: initializing, starting, running, off, deleting, ... */
public record HetznerServer(long id, String name, String status, Optional<String> publicIpv4,
                            Optional<String> location, Map<String, String> labels) {

    public Optional<String> nodeId() {
        return Optional.ofNullable(labels.get(HandoffLabels.NODE));
    }
}
