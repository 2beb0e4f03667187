package dev.handoff.servicekit;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.MDC;

import java.util.function.Supplier;

/**
 * The task a piece of work is about, in the log's MDC as {@value #TASK_ID} while it runs, so that every line it
 * logs names the task ({@code %X{taskId}} in the console format, a field of its own in JSON logs). Set where a
 * consumer starts work on an event ({@code EventTransactions}, {@code EventRuns}) and put back as it was after.
 */
public final class TaskLogContext {

    public static final String TASK_ID = "taskId";

    private TaskLogContext() {
    }

    /** Runs {@code work} with {@code taskId} in the MDC (as it is when {@code taskId} is null). */
    public static <T> Uni<T> around(String taskId, Supplier<Uni<T>> work) {
        if (taskId == null) {
            return Uni.createFrom().deferred(() -> work.get());
        }
        return Uni.createFrom().deferred(() -> {
            Object before = MDC.get(TASK_ID);
            MDC.put(TASK_ID, taskId);
            return work.get().onTermination().invoke(() -> restore(before));
        });
    }

    private static void restore(Object before) {
        if (before == null) {
            MDC.remove(TASK_ID);
        } else {
            MDC.put(TASK_ID, before);
        }
    }
}
