package dev.handoff.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Decides which heartbeat frames become events: at most one per node per interval. */
public final class HeartbeatSampler {

    private final Duration interval;
    private final Map<String, Instant> lastForwarded = new ConcurrentHashMap<>();

    public HeartbeatSampler(Duration interval) {
        this.interval = interval;
    }

    /** Whether a heartbeat of {@code nodeId} arriving at {@code now} is forwarded (and if so, remembers it). */
    public boolean take(String nodeId, Instant now) {
        boolean[] taken = {false};
        lastForwarded.compute(nodeId, (id, last) -> {
            if (last == null || !now.isBefore(last.plus(interval))) {
                taken[0] = true;
                return now;
            }
            return last;
        });
        return taken[0];
    }

    /** Forgets a node (disconnected): its next heartbeat is forwarded at once. */
    public void forget(String nodeId) {
        lastForwarded.remove(nodeId);
    }
}
