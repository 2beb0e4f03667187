package dev.handoff.bench;

import dev.handoff.bench.node.OutputPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * One relay run: the plan streamed, the node-send -> SSE-receive latency of every chunk that arrived, and what the
 * stored message held afterwards.
 *
 * @param latenciesMillis per arrived chunk, in chunk order
 * @param sendSeconds     first to last chunk handed to the node's queue
 * @param events          SSE events the client read, and {@code streamChars} their size
 * @param stored          null when the stored message is every chunk once, in order; else what is wrong
 */
record RelaySample(OutputPlan plan, List<Double> latenciesMillis, long arrived, double sendSeconds, long events,
                   long streamChars, String stored, RelayStages stages) {

    static RelaySample of(OutputPlan plan, long[] sentAt, long[] arrivedAt, long events, long streamChars,
                          String stored, RelayStages stages) {
        List<Double> latencies = new ArrayList<>();
        long arrived = 0;
        for (int i = 1; i < arrivedAt.length; i++) {
            if (arrivedAt[i] != 0 && sentAt != null && sentAt[i] != 0) {
                latencies.add((arrivedAt[i] - sentAt[i]) / 1e6);
                arrived++;
            }
        }
        double sendSeconds = sentAt == null || sentAt[sentAt.length - 1] == 0 ? 0
            : (sentAt[sentAt.length - 1] - sentAt[1]) / 1e9;
        return new RelaySample(plan, latencies, arrived, sendSeconds, events, streamChars, stored, stages);
    }

    boolean complete() {
        return arrived == plan.chunks() && stored == null;
    }

    /** The rate the node really sent at (chunks per second, first to last). */
    double sentPerSecond() {
        return sendSeconds == 0 ? 0 : (plan.chunks() - 1) / sendSeconds;
    }
}
