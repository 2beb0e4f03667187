package dev.handoff.chat.metrics;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;

/**
 * The agent's output as the chat stores it: how many AgentOutput events were applied to a transcript (their rate is
 * the output relayed per second) and how long each took from the node's report ({@code occurredAt}, stamped by the
 * gateway when it took the report) to the chat's commit. Counted after the commit, once per event: a redelivered
 * or already stored one is not counted again.
 */
@ApplicationScoped
public class RelayMetrics {

    private Counter applied;
    private Timer latency;

    @Inject
    MeterRegistry registry;

    Clock clock = Clock.systemUTC();

    /** Shows the meters (at 0) from startup on; their registration itself is at the bean's first use. */
    void show(@Observes StartupEvent startup) {
    }

    /** At first use, not in a startup observer: the consumers may apply output before that observer ran. */
    @PostConstruct
    void register() {
        applied = Counter.builder(Meters.CHAT_AGENT_OUTPUT_APPLIED.name())
            .description("AgentOutput events applied to a chat transcript (committed)")
            .register(registry);
        latency = Timer.builder(Meters.CHAT_AGENT_OUTPUT_RELAY.name())
            .description("Time from an AgentOutput event's occurredAt to the chat's commit of it")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    }

    /** {@code event}, an AgentOutput, is committed to its transcript now. */
    public void applied(Envelope event) {
        applied.increment();
        Duration spent = Duration.between(event.occurredAt(), clock.instant());
        latency.record(spent.isNegative() ? Duration.ZERO : spent);
    }
}
