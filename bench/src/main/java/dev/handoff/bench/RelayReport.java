package dev.handoff.bench;

import java.util.List;
import java.util.Locale;

/** The relay benchmark's results as Markdown: the run, then one row per rate. */
final class RelayReport {

    /** The target (issue 12): p99 node-send -> browser at 5,000 chunks per second sustained. */
    static final double TARGET_P99_MILLIS = 100;

    private final RunInfo run;
    private final List<RelaySample> samples;

    RelayReport(RunInfo run, List<RelaySample> samples) {
        this.run = run;
        this.samples = samples;
    }

    String markdown() {
        StringBuilder out = new StringBuilder("# Relay: node-send -> SSE-receive\n\n");
        out.append("One simulated node (bench `SimulatedNode`: the vm-agent's GatewayClient and OutboundQueue against the")
            .append(" real gateway) streams N agent_message_chunk updates at R per second for one task; a client on")
            .append(" `GET /api/sessions/{id}/stream` notes when each chunk first arrives. Latency = arrival minus the")
            .append(" moment the simulated agent handed the chunk to the node's outbound queue (same JVM, same clock).")
            .append(" Stored = `GET /api/sessions/{id}/messages` holds one assistant message that is every chunk once,")
            .append(" in order. Target: p99 <= ").append((long) TARGET_P99_MILLIS).append(" ms at 5,000/s.\n\n");
        out.append(run.markdownTable()).append('\n');
        out.append(table());
        out.append("\n## Where the time goes\n\n")
            .append("Each chunk's latency split by hop, p50 / p99 in ms (RelayStages): node -> gateway = the gateway")
            .append(" made the chunk's event (its `occurredAt`); gateway -> Kafka = the outbox handed it to the producer")
            .append(" (the record's timestamp, read by a consumer of `handoff.node-reports` beside the services');")
            .append(" Kafka -> chat = chat-service folded it into the message (the message's `updatedAt` in the")
            .append(" stream's event); chat -> page = the event reached the client. Wall clocks of one machine,")
            .append(" millisecond resolution.\n\n");
        out.append(stagesTable());
        return out.toString();
    }

    String stagesTable() {
        StringBuilder out = new StringBuilder("| R (per s) | chunks split |");
        RelayStages.HOPS.forEach(hop -> out.append(' ').append(hop).append(" |"));
        out.append("\n|---|---|").append("---|".repeat(RelayStages.HOPS.size())).append('\n');
        for (RelaySample sample : samples) {
            List<List<Double>> hops = sample.stages().byHop();
            out.append(String.format(Locale.ROOT, "| %d | %d |", (long) sample.plan().perSecond(), hops.get(0).size()));
            for (List<Double> hop : hops) {
                if (hop.isEmpty()) {
                    out.append(" - |");
                } else {
                    LatencySummary l = LatencySummary.of(hop);
                    out.append(String.format(Locale.ROOT, " %.0f / %.0f |", l.p50(), l.p99()));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append("| R (per s) | N | sent at (per s) | arrived | p50 ms | p95 ms | p99 ms | max ms | SSE events |"
            + " SSE MB | stored |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        samples.forEach(sample -> out.append(row(sample)).append('\n'));
        return out.toString();
    }

    static String row(RelaySample s) {
        String figures;
        if (s.latenciesMillis().isEmpty()) {
            figures = "| - | - | - | - ";
        } else {
            LatencySummary l = LatencySummary.of(s.latenciesMillis());
            figures = String.format(Locale.ROOT, "| %.0f | %.0f | %.0f | %.0f ", l.p50(), l.p95(), l.p99(), l.max());
        }
        return String.format(Locale.ROOT, "| %d | %d | %.0f | %d ", (long) s.plan().perSecond(), s.plan().chunks(),
            s.sentPerSecond(), s.arrived()) + figures
            + String.format(Locale.ROOT, "| %d | %.1f | %s |", s.events(), s.streamChars() / 1e6,
            s.stored() == null ? "every chunk once, in order" : s.stored());
    }
}
