package dev.handoff.chat.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicInteger;

/** Live session streams ({@code GET /api/sessions/{id}/stream}) this replica serves now, as a gauge. */
@ApplicationScoped
public class OpenStreams {

    public static final String OPEN = "handoff.chat.streams.open";

    private final AtomicInteger open = new AtomicInteger();

    @Inject
    MeterRegistry registry;

    void register(@Observes StartupEvent startup) {
        Gauge.builder(OPEN, open, AtomicInteger::get)
            .description("Live session streams (server-sent events) open on this chat-service replica")
            .register(registry);
    }

    /** {@code stream}, counted open from its subscription until it completes, fails or the client goes away. */
    public <T> Multi<T> counted(Multi<T> stream) {
        return stream
            .onSubscription().invoke(open::incrementAndGet)
            .onTermination().invoke(open::decrementAndGet);
    }
}
