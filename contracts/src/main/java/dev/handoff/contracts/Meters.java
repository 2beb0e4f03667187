package dev.handoff.contracts;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every meter Handoff's services register, by its Micrometer name, and the series Prometheus shows for it. This is
 * what an operator's dashboard and alert rules may name (deploy-checks' {@code ObservabilityFilesTest} fails when
 * {@code deploy/observability} names anything else); each service registers its meters under these names.
 */
public final class Meters {

    /** How a meter shows in the Prometheus text format. */
    public enum Kind {
        /** {@code name} as it is. */
        GAUGE,
        /** A gauge with base unit seconds: {@code name_seconds}. */
        SECONDS_GAUGE,
        /** {@code name_total}. */
        COUNTER,
        /** A timer in seconds with a histogram: {@code name_seconds_count}, {@code _sum}, {@code _max}, {@code _bucket}. */
        TIMER,
        /** A timer in seconds without a histogram: {@code name_seconds_count}, {@code _sum}, {@code _max}. */
        PLAIN_TIMER
    }

    /** One meter: its Micrometer name (dots), what kind it is and which service registers it. */
    public record Meter(String name, Kind kind, String service) {

        /** The Prometheus name without a suffix ({@code handoff.task.step.duration} -> {@code handoff_task_step_duration_seconds}). */
        public String prometheusName() {
            String base = name.replace('.', '_');
            return kind == Kind.GAUGE || kind == Kind.COUNTER ? base : base + "_seconds";
        }

        /** Every series name a scrape shows for it. */
        public Set<String> series() {
            String base = prometheusName();
            return switch (kind) {
                case GAUGE, SECONDS_GAUGE -> Set.of(base);
                case COUNTER -> Set.of(base + "_total");
                case TIMER -> Set.of(base + "_count", base + "_sum", base + "_max", base + "_bucket");
                case PLAIN_TIMER -> Set.of(base + "_count", base + "_sum", base + "_max");
            };
        }
    }

    public static final String EVERY_SERVICE = "every service";

    public static final Meter OUTBOX_PENDING = new Meter("handoff.outbox.pending", Kind.GAUGE, EVERY_SERVICE);
    public static final Meter OUTBOX_OLDEST_PENDING_AGE = new Meter("handoff.outbox.oldest.pending.age",
        Kind.SECONDS_GAUGE, EVERY_SERVICE);
    public static final Meter DEAD_LETTERS = new Meter("handoff.dead.letters", Kind.COUNTER, EVERY_SERVICE);

    public static final Meter TASK_STEP_DURATION = new Meter("handoff.task.step.duration", Kind.TIMER,
        "orchestrator-service");
    public static final Meter TASK_STEP_ENDS = new Meter("handoff.task.step.ends", Kind.COUNTER,
        "orchestrator-service");
    public static final Meter TASK_RETRIES = new Meter("handoff.task.retries", Kind.COUNTER, "orchestrator-service");
    public static final Meter TASKS = new Meter("handoff.tasks", Kind.GAUGE, "orchestrator-service");

    public static final Meter GATEWAY_NODES_CONNECTED = new Meter("handoff.gateway.nodes.connected", Kind.GAUGE,
        "vm-agent-gateway");
    public static final Meter GATEWAY_COMMANDS_WAITING = new Meter("handoff.gateway.commands.waiting", Kind.GAUGE,
        "vm-agent-gateway");
    public static final Meter GATEWAY_NODE_DISCONNECTS = new Meter("handoff.gateway.node.disconnects",
        Kind.COUNTER, "vm-agent-gateway");
    public static final Meter GATEWAY_REPORTS = new Meter("handoff.gateway.reports", Kind.COUNTER,
        "vm-agent-gateway");

    public static final Meter CHAT_STREAMS_OPEN = new Meter("handoff.chat.streams.open", Kind.GAUGE, "chat-service");
    public static final Meter CHAT_AGENT_OUTPUT_APPLIED = new Meter("handoff.chat.agent.output.applied",
        Kind.COUNTER, "chat-service");
    public static final Meter CHAT_AGENT_OUTPUT_RELAY = new Meter("handoff.chat.agent.output.relay", Kind.TIMER,
        "chat-service");

    /** Handoff's own meters. */
    public static final List<Meter> HANDOFF = List.of(OUTBOX_PENDING, OUTBOX_OLDEST_PENDING_AGE, DEAD_LETTERS,
        TASK_STEP_DURATION, TASK_STEP_ENDS, TASK_RETRIES, TASKS, GATEWAY_NODES_CONNECTED, GATEWAY_COMMANDS_WAITING,
        GATEWAY_NODE_DISCONNECTS, GATEWAY_REPORTS, CHAT_STREAMS_OPEN, CHAT_AGENT_OUTPUT_APPLIED,
        CHAT_AGENT_OUTPUT_RELAY);

    /**
     * Meters of the libraries every service has (Quarkus' HTTP server timer, the Kafka consumer's lag) that the
     * operator files use.
     */
    public static final List<Meter> LIBRARY = List.of(
        new Meter("http.server.requests", Kind.PLAIN_TIMER, EVERY_SERVICE),
        new Meter("kafka.consumer.fetch.manager.records.lag.max", Kind.GAUGE, EVERY_SERVICE));

    /** Every series name a dashboard or alert rule may use. */
    public static Set<String> allSeries() {
        return Stream.concat(HANDOFF.stream(), LIBRARY.stream()).flatMap(m -> m.series().stream())
            .collect(Collectors.toUnmodifiableSet());
    }

    private Meters() {
    }
}
