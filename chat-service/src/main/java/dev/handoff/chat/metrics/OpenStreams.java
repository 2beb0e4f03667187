package dev.handoff.chat.metrics;

import dev.handoff.contracts.Meters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live session streams ({@code GET /api/sessions/{id}/stream}) this replica serves now: as a gauge, and per user
 * for {@code handoff.limits.streams-per-user-per-replica} (a stream's cost, its connection and its database polls,
 * is this replica's, so this replica counts them).
 */
@ApplicationScoped
public class OpenStreams {

    public static final String OPEN = Meters.CHAT_STREAMS_OPEN.name();

    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> byUser = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;

    void register(@Observes StartupEvent startup) {
        Gauge.builder(OPEN, open, AtomicInteger::get)
            .description("Live session streams (server-sent events) open on this chat-service replica")
            .register(registry);
    }

    /**
     * Takes one of {@code userId}'s stream places on this replica, or none (false) when they hold {@code max}
     * already. A place taken is given back by the stream {@link #counted} wraps, or by {@link #release}.
     */
    public boolean reserve(String userId, int max) {
        AtomicBoolean taken = new AtomicBoolean();
        byUser.compute(userId, (user, held) -> {
            int now = held == null ? 0 : held;
            if (now >= max) {
                return held;
            }
            taken.set(true);
            return now + 1;
        });
        return taken.get();
    }

    /** Gives back a place {@link #reserve} took. */
    public void release(String userId) {
        byUser.computeIfPresent(userId, (user, held) -> held <= 1 ? null : held - 1);
    }

    /** How many streams {@code userId} has open (or reserved) on this replica. */
    public int openBy(String userId) {
        return byUser.getOrDefault(userId, 0);
    }

    /**
     * {@code stream} of {@code userId}, whose place {@link #reserve} took: counted open from its subscription until
     * it completes, fails or the client goes away, when the place is given back (once).
     */
    public <T> Multi<T> counted(String userId, Multi<T> stream) {
        AtomicBoolean released = new AtomicBoolean();
        return stream
            .onSubscription().invoke(open::incrementAndGet)
            .onTermination().invoke(() -> {
                open.decrementAndGet();
                if (released.compareAndSet(false, true)) {
                    release(userId);
                }
            });
    }
}
