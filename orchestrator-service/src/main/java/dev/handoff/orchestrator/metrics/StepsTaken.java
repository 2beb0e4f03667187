package dev.handoff.orchestrator.metrics;

import dev.handoff.contracts.vocabulary.TaskStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps one transaction of the saga took, kept until it commits: a transaction that runs again (a conflict)
 * starts over with {@link #clear}.
 */
public final class StepsTaken {

    /** A task left {@code from} for {@code to} after {@code spent} in it, moved by {@code cause}. */
    public record Step(TaskStatus from, TaskStatus to, Duration spent, String cause) {
    }

    private final List<Step> steps = new ArrayList<>();

    public void clear() {
        steps.clear();
    }

    public void add(Step step) {
        steps.add(step);
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }
}
