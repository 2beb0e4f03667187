package dev.handoff.gateway.socket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts, per remote address, the connections to this gateway replica that have not said their hello yet, and
 * admits a new one only below the cap: one address cannot hold the door open with thousands of silent sockets, each
 * kept until the hello deadline. A connection counts until its first frame or its close, whichever comes first.
 */
final class PendingHellos {

    private final int maxPerAddress;
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

    PendingHellos(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts one more pending connection from {@code address}, or returns false when it already has the cap. */
    boolean tryOpen(String address) {
        boolean[] admitted = {false};
        byAddress.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    /** One pending connection from {@code address} spoke or closed. */
    void release(String address) {
        byAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** The pending connections from {@code address} now. */
    int pending(String address) {
        return byAddress.getOrDefault(address, 0);
    }
}
