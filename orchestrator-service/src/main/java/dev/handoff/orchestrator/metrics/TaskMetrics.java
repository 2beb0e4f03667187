package dev.handoff.orchestrator.metrics;

import dev.handoff.contracts.Meters;
import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.orchestrator.repository.TaskRepository;
import dev.handoff.servicekit.SafeContext;
import io.micrometer.core.instrument.Counter;
import dev.handoff.contracts.Meters;
import io.micrometer.core.instrument.Gauge;
import dev.handoff.contracts.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import dev.handoff.contracts.Meters;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The task saga's metrics: how long tasks spend in each step, how steps end (deadlines, retries, failures), and how
 * many tasks are in each status. Steps are counted once their transition committed ({@link StepsTaken}), so a
 * transaction retried after a conflict is not counted twice.
 */
@ApplicationScoped
public class TaskMetrics {

    public static final String STEP_DURATION = Meters.TASK_STEP_DURATION.name();
    public static final String STEP_ENDS = Meters.TASK_STEP_ENDS.name();
    public static final String RETRIES = Meters.TASK_RETRIES.name();
    public static final String TASKS = Meters.TASKS.name();

    /** The cause a due retry names (TaskSagaService.RETRY). */
    static final String RETRY = "Retry";

    private final Map<TaskStatus, AtomicLong> byStatus = new EnumMap<>(TaskStatus.class);

    @Inject
    MeterRegistry registry;

    @Inject
    TaskRepository tasks;

    void register(@Observes StartupEvent startup) {
        for (TaskStatus status : TaskStatus.values()) {
            AtomicLong count = new AtomicLong();
            byStatus.put(status, count);
            Gauge.builder(TASKS, count, AtomicLong::get)
                .description("Tasks in each status, as the orchestrator's saga has them")
                .tag("status", status.wireName())
                .register(registry);
        }
    }

    /** Records the steps a committed transaction took. */
    public void record(List<StepsTaken.Step> steps) {
        for (StepsTaken.Step step : steps) {
            if (RETRY.equals(step.cause())) {
                Counter.builder(RETRIES)
                    .description("Commands of a transiently failed step sent again, by step")
                    .tag("step", step.from().wireName())
                    .register(registry)
                    .increment();
            }
            if (step.from() == step.to()) {
                continue;
            }
            Timer.builder(STEP_DURATION)
                .description("Time a task spent in a step (its status) before it moved on")
                .tag("step", step.from().wireName())
                .tag("next", step.to().wireName())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(registry)
                .record(step.spent());
            Counter.builder(STEP_ENDS)
                .description("Steps that ended, by where the task went and what moved it: an event type or Deadline")
                .tag("step", step.from().wireName())
                .tag("next", step.to().wireName())
                .tag("cause", step.cause() == null ? "unknown" : step.cause())
                .register(registry)
                .increment();
        }
    }

    /** Counts the tasks per status; read, never changed, so every replica doing it is harmless. */
    @Scheduled(every = "${handoff.metrics.tasks-interval:10s}", delayed = "2s",
        concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void countTasks() {
        SafeContext.run(null, "tasks by status", () -> Panache.withSession(() -> tasks.countByStatus())
            .invoke(counts -> byStatus.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L))))
            .replaceWithVoid());
    }
}
