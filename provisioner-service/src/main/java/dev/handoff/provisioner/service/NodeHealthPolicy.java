package dev.handoff.provisioner.service;

import dev.handoff.provisioner.NodeHealth;

import java.time.Duration;
import java.time.Instant;

/** Derives a node's health from when it was last heard from (heartbeat or connection). */
public record NodeHealthPolicy(Duration staleAfter, Duration lostAfter) {

    public NodeHealth healthAt(Instant lastSeen, Instant now) {
        if (lastSeen == null) {
            return NodeHealth.LOST;
        }
        Duration silence = Duration.between(lastSeen, now);
        if (silence.compareTo(staleAfter) <= 0) {
            return NodeHealth.HEALTHY;
        }
        return silence.compareTo(lostAfter) <= 0 ? NodeHealth.STALE : NodeHealth.LOST;
    }
}
