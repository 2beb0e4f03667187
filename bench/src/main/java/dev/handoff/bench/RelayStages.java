package dev.handoff.bench;

import dev.handoff.bench.relay.ReportTap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A chunk's latency split by hop, in milliseconds, for the chunks whose every moment is known:
 * node -> gateway (the simulated agent handed the chunk to the node's queue; the gateway made its event),
 * gateway -> Kafka (the outbox handed the event to the producer: the record's timestamp),
 * Kafka -> chat (chat-service folded it into the message: the message's {@code updatedAt}),
 * chat -> page (the stream's event reached the client). Node and client times are this JVM's
 * {@link System#nanoTime}, turned into wall-clock milliseconds with one offset; the services run on the same machine.
 */
record RelayStages(List<Double> toGateway, List<Double> toKafka, List<Double> toChat, List<Double> toPage) {

    /** The hops, in the order a chunk takes them. */
    static final List<String> HOPS = List.of("node -> gateway", "gateway -> Kafka", "Kafka -> chat", "chat -> page");

    /**
     * @param sentAt         per chunk from 1, nanoTime the chunk was queued on the node (chunk n has sequence n)
     * @param arrivedAt      per chunk, nanoTime it reached the client
     * @param storedAtMillis per chunk, epoch ms of the message change that brought it
     * @param outputs        the task's AgentOutput events (one may hold several chunks: up to its sequence)
     * @param epochAtNanoZero epoch ms at nanoTime 0
     */
    static RelayStages of(long[] sentAt, long[] arrivedAt, long[] storedAtMillis, List<ReportTap.Output> outputs,
                          double epochAtNanoZero) {
        List<ReportTap.Output> bySequence = new ArrayList<>(outputs);
        bySequence.sort(Comparator.comparingLong(ReportTap.Output::sequence));
        RelayStages stages = new RelayStages(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int next = 0;
        for (int chunk = 1; sentAt != null && chunk < sentAt.length && chunk < arrivedAt.length; chunk++) {
            while (next < bySequence.size() && bySequence.get(next).sequence() < chunk) {
                next++;
            }
            if (next == bySequence.size()) {
                break;
            }
            if (sentAt[chunk] == 0 || arrivedAt[chunk] == 0 || storedAtMillis[chunk] == 0) {
                continue;
            }
            ReportTap.Output event = bySequence.get(next);
            double sent = epochAtNanoZero + sentAt[chunk] / 1e6;
            double arrived = epochAtNanoZero + arrivedAt[chunk] / 1e6;
            stages.toGateway.add(event.takenAtMillis() - sent);
            stages.toKafka.add((double) (event.producedAtMillis() - event.takenAtMillis()));
            stages.toChat.add((double) (storedAtMillis[chunk] - event.producedAtMillis()));
            stages.toPage.add(arrived - storedAtMillis[chunk]);
        }
        return stages;
    }

    List<List<Double>> byHop() {
        return List.of(toGateway, toKafka, toChat, toPage);
    }
}
