package dev.handoff.servicekit;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs reactive database work on a fresh duplicated Vert.x context marked safe, as Hibernate Reactive requires,
 * from code that is not already on one (socket handlers, process watchers, post-commit hooks).
 */
public final class SafeContext {

    private static final Logger LOG = Logger.getLogger(SafeContext.class);

    private SafeContext() {
    }

    /**
     * Runs {@code work} on a new safe context derived from {@code base} (or from the Vert.x instance when null);
     * completes when the work did. Failures are logged with {@code what} and complete the stage normally.
     */
    public static CompletionStage<Void> run(Context base, String what, Supplier<Uni<Void>> work) {
        Context context = newSafeContext(base);
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                work.get().subscribe().with(done::complete, failure -> {
                    LOG.errorf(failure, "%s failed", what);
                    done.complete(null);
                });
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed", what);
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * Runs {@code work} on a new safe context derived from {@code base} (or from the current context or the Vert.x
     * instance when null); the stage completes as the work did, failures included (for a caller that acks or nacks
     * a message by the outcome).
     */
    public static CompletionStage<Void> call(Context base, Supplier<Uni<Void>> work) {
        Context context = newSafeContext(base);
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                work.get().subscribe().with(done::complete, done::completeExceptionally);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private static Context newSafeContext(Context base) {
        Context context = base != null ? VertxContext.createNewDuplicatedContext(base)
            : VertxContext.createNewDuplicatedContext(Vertx.currentContext() != null
            ? Vertx.currentContext() : io.quarkus.vertx.core.runtime.VertxCoreRecorder.getVertx().get()
            .getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return context;
    }
}
