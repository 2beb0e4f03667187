package dev.handoff.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The benchmark's results as markdown: the latency table first, then where the time goes, then the raw samples. */
final class ResultsReport {

    /** A measure: its name, which clock took it, and how to read it off a sample. */
    record Measure(String name, String clock, Function<TaskSample, Duration> value) {
    }

    static final List<Measure> MEASURES = List.of(
        new Measure("POST /api/projects/{id}/tasks round trip", "client", TaskSample::postRoundTrip),
        new Measure("created -> AgentStarted", "server: timeline `running`.at - task.createdAt",
            TaskSample::agentStartedServer),
        new Measure("submitted (202) -> AgentStarted seen", "client: first poll showing `running`",
            TaskSample::agentStartedSeen),
        new Measure("submitted (202) -> first agent output in chat API", "client: first non-user message polled",
            TaskSample::firstOutputSeen),
        new Measure("submitted (202) -> turn_ended seen", "client: first poll showing `turn_ended`",
            TaskSample::turnEndedSeen));

    private final BenchOptions options;
    private final RunInfo run;
    private final TaskSample warmUp;
    private final List<TaskSample> samples;
    private final Duration taskLimit;

    ResultsReport(BenchOptions options, RunInfo run, TaskSample warmUp, List<TaskSample> samples, Duration taskLimit) {
        this.options = options;
        this.run = run;
        this.warmUp = warmUp;
        this.samples = samples;
        this.taskLimit = taskLimit;
    }

    List<TaskSample> completed() {
        return samples.stream().filter(TaskSample::completed).toList();
    }

    List<TaskSample> failed() {
        return samples.stream().filter(s -> !s.completed()).toList();
    }

    /** The latency table alone, for the console. */
    String latencyTable() {
        StringBuilder out = new StringBuilder();
        out.append("| measure | clock | n | p50 | p95 | p99 | min | max | mean |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measure measure : MEASURES) {
            List<Double> values = millis(completed(), measure.value());
            out.append("| ").append(measure.name()).append(" | ").append(measure.clock()).append(" | ");
            out.append(figures(values)).append(" |\n");
        }
        return out.toString();
    }

    /** Time between consecutive timeline steps (server clocks), the first one from the task's createdAt. */
    String stepTable() {
        Map<String, List<Double>> gaps = new LinkedHashMap<>();
        Map<String, String> events = new LinkedHashMap<>();
        for (TaskSample sample : completed()) {
            String previous = "created";
            Instant previousAt = sample.createdAt();
            for (TaskSample.Step step : sample.steps()) {
                String key = previous + " -> " + step.status();
                gaps.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(Duration.between(previousAt, step.at()).toNanos() / 1e6);
                events.putIfAbsent(key, step.event());
                previous = step.status();
                previousAt = step.at();
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| step | caused by | n | p50 | p95 | p99 | min | max | mean |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        gaps.forEach((key, values) -> out.append("| ").append(key).append(" | ").append(events.get(key))
            .append(" | ").append(figures(values)).append(" |\n"));
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Task latency benchmark\n\n");
        out.append("Measured by `bin/bench --tasks ").append(options.tasks()).append(" --concurrency ")
            .append(options.concurrency()).append("` (`dev.handoff.bench.TaskLatencyBench`). All times in ms.\n\n");
        out.append("| parameter | value |\n|---|---|\n");
        row(out, "date", run.dateText());
        row(out, "git commit", run.gitCommit() + " (HEAD at run time)");
        row(out, "services and vm-agent built", run.builtAt());
        row(out, "tasks (N)", options.tasks() + " measured, after 1 warm-up task (not counted)");
        row(out, "concurrency", options.concurrency() + " (at most this many tasks in flight)");
        row(out, "completed", completed().size() + " of " + samples.size());
        row(out, "polling", "every " + TaskProbe.POLL_INTERVAL.toMillis() + " ms; a task fails after "
            + taskLimit.toSeconds() + " s without turn_ended");
        row(out, "machine", run.cores() + " cores (" + run.cpu() + "), " + run.memory() + " RAM, " + run.os());
        row(out, "JVM", run.jvm());
        row(out, "stack", "HandoffStack on this machine: Kafka, PostgreSQL, the 4 services (-Xmx384m, SerialGC, C1 only),"
            + " 1 warm local node, Claude Code ACP adapter; fake Anthropic model (ScriptedReplies)");
        out.append("\n## Latency of completed tasks\n\n");
        out.append(latencyTable());
        out.append("\nClient times start when the POST returned 202 and are seen by polling, so they include up to one"
            + " poll interval plus a GET. Percentiles are nearest-rank.\n");
        out.append("\n## Where the time goes (server timeline, time between consecutive steps)\n\n");
        out.append(stepTable());
        out.append("\n## Warm-up task (starts the node; not counted)\n\n");
        out.append(sampleTable(List.of(warmUp)));
        out.append("\n").append(stepsOf(warmUp)).append("\n");
        out.append("\n## Every measured task\n\n");
        out.append(sampleTable(samples));
        if (!failed().isEmpty()) {
            out.append("\n## Failed tasks (not in the figures above)\n\n");
            for (TaskSample sample : failed()) {
                out.append("- task ").append(sample.index()).append(" (").append(sample.taskId()).append("): ")
                    .append(sample.failure()).append("\n");
            }
        }
        return out.toString();
    }

    private static String sampleTable(List<TaskSample> samples) {
        StringBuilder out = new StringBuilder();
        out.append("| # | task | POST | created -> AgentStarted (server) | 202 -> AgentStarted seen"
            + " | 202 -> first output | 202 -> turn_ended | outcome |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (TaskSample s : samples) {
            out.append("| ").append(s.index()).append(" | ").append(s.taskId() == null ? "-" : s.taskId().substring(0, 8))
                .append(" | ").append(ms(s.postRoundTrip()))
                .append(" | ").append(ms(s.agentStartedServer()))
                .append(" | ").append(ms(s.agentStartedSeen()))
                .append(" | ").append(ms(s.firstOutputSeen()))
                .append(" | ").append(ms(s.turnEndedSeen()))
                .append(" | ").append(s.completed() ? "turn_ended" : s.failure().replace('|', '/'))
                .append(" |\n");
        }
        return out.toString();
    }

    private static String stepsOf(TaskSample sample) {
        StringBuilder out = new StringBuilder("Timeline: created");
        Instant previous = sample.createdAt();
        for (TaskSample.Step step : sample.steps()) {
            out.append(" -(").append(previous == null ? "?" : ms(Duration.between(previous, step.at())))
                .append(")-> ").append(step.status());
            previous = step.at();
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static List<Double> millis(List<TaskSample> samples, Function<TaskSample, Duration> value) {
        return samples.stream().map(value).filter(d -> d != null).map(d -> d.toNanos() / 1e6).toList();
    }

    private static String figures(List<Double> values) {
        if (values.isEmpty()) {
            return "0 | - | - | - | - | - | -";
        }
        LatencySummary s = LatencySummary.of(values);
        return s.count() + " | " + ms(s.p50()) + " | " + ms(s.p95()) + " | " + ms(s.p99()) + " | " + ms(s.min())
            + " | " + ms(s.max()) + " | " + ms(s.mean());
    }

    private static String ms(Duration duration) {
        return duration == null ? "-" : ms(duration.toNanos() / 1e6);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis);
    }
}
