package dev.handoff.chat.auth;

import dev.handoff.chat.rest.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Runs password hashing on its own small worker pool, never on the event loop nor on the shared worker pool, and
 * bounds how many hashings run and wait: each Argon2id run holds its memory cost in the heap, so a flood of sign-ins
 * must queue briefly or be told to come back (503 with Retry-After), never exhaust the heap.
 */
@ApplicationScoped
public class PasswordHashing {

    /** Seconds a client is asked to wait when hashing is full. */
    static final int RETRY_AFTER_SECONDS = 1;

    @Inject
    Vertx vertx;

    @Inject
    SignInConfig config;

    private WorkerExecutor pool;
    private Semaphore slots;

    @PostConstruct
    void init() {
        int concurrent = Math.max(1, config.hashing().maxConcurrent());
        pool = vertx.createSharedWorkerExecutor("password-hashing", concurrent);
        slots = new Semaphore(concurrent + Math.max(0, config.hashing().maxWaiting()));
    }

    @PreDestroy
    void close() {
        pool.closeAndForget();
    }

    /** {@code work} on the hashing pool; 503 (Retry-After) at once when as many are running and waiting as allowed. */
    public <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().deferred(() -> {
            if (!slots.tryAcquire()) {
                return Uni.createFrom().failure(busy());
            }
            return pool.executeBlocking(work::get, false).onTermination().invoke(slots::release);
        });
    }

    /** Whether {@code failure} is this pool saying it is full. */
    static boolean isBusy(Throwable failure) {
        return failure instanceof ApiException e && e.status() == 503;
    }

    private static ApiException busy() {
        return ApiException.retryLater(503, "sign-in is busy; try again in a moment", RETRY_AFTER_SECONDS);
    }
}
