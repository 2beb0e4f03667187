package dev.handoff.bench;

import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalGitRepository;
import dev.handoff.localstack.ScriptedReplies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long a user waits: starts Handoff on this machine (fake model), runs one warm-up task so that the local node
 * is up, then submits N tasks through the public REST API, at most C at a time, and measures for each the time
 * from the 202 to the agent having started and to its first output in the chat. Writes
 * {@code bench/results/task-latency-<yyyyMMdd-HHmmss>.md} and {@code bench/results/latest.md}.
 *
 * <p>Exit codes: 0 every task completed, 1 some task failed or the run broke, 2 bad arguments.
 */
public final class TaskLatencyBench {

    static final Duration TASK_LIMIT = Duration.ofSeconds(120);
    /** The warm-up starts a node (a JVM, then the agent adapter), so it gets longer. */
    static final Duration WARM_UP_LIMIT = Duration.ofMinutes(5);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final BenchOptions options;
    private final Path repoRoot;
    private final OffsetDateTime started;

    TaskLatencyBench(BenchOptions options, Path repoRoot, OffsetDateTime started) {
        this.options = options;
        this.repoRoot = repoRoot;
        this.started = started;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int exit;
        try {
            exit = new TaskLatencyBench(options, HandoffStack.findRepoRoot(), OffsetDateTime.now()).run();
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    int run() throws Exception {
        String stamp = started.format(STAMP);
        Path work = repoRoot.resolve("bench/target/bench-work").resolve(stamp);
        Files.createDirectories(work);
        String repositoryUrl = LocalGitRepository.bareRepositoryWithProject(work.resolve("git"));

        System.out.println("bench: starting Handoff in " + work + " ...");
        HandoffStack stack = HandoffStack.start(HandoffStack.Options.forTests(work.resolve("stack"),
            new ScriptedReplies()));
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                System.out.println("bench: stopping Handoff ...");
                stack.close();
            }
        };
        Thread onExit = new Thread(close, "bench-stack-close");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            return measure(stack, repositoryUrl, stamp, work);
        } finally {
            close.run();
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException alreadyExiting) {
                // the JVM is shutting down; the hook has run or will find the stack closed
            }
        }
    }

    private int measure(HandoffStack stack, String repositoryUrl, String stamp, Path work) throws Exception {
        HandoffClient api = new HandoffClient(stack.chatUrl(), stack.operatorApiToken());
        TaskProbe probe = new TaskProbe(api, api.createProject("bench-app", repositoryUrl));

        System.out.println("bench: warm-up task (starts the local node) ...");
        TaskSample warmUp = probe.run(0, description(0), WARM_UP_LIMIT);
        print("warm-up", warmUp);
        if (!warmUp.completed()) {
            System.err.println("bench: the warm-up task did not complete, nothing to measure; logs in "
                + work.resolve("stack/logs"));
            return 1;
        }

        System.out.println("bench: " + options.tasks() + " tasks, concurrency " + options.concurrency() + " ...");
        List<TaskSample> samples = runTasks(probe);

        ResultsReport report = new ResultsReport(options, RunInfo.of(repoRoot, started), warmUp, samples,
            TASK_LIMIT);
        Path results = repoRoot.resolve("bench/results");
        Files.createDirectories(results);
        Path file = results.resolve("task-latency-" + stamp + ".md");
        String markdown = report.markdown();
        Files.writeString(file, markdown);
        Files.writeString(results.resolve("latest.md"), markdown);

        System.out.println();
        System.out.println(report.latencyTable());
        System.out.println(report.stepTable());
        System.out.println("completed " + report.completed().size() + " of " + samples.size() + " tasks");
        report.failed().forEach(s -> System.out.println("  failed task " + s.index() + ": " + s.failure()));
        System.out.println("results: " + repoRoot.relativize(file) + " (and bench/results/latest.md)");
        System.out.println("logs:    " + work.resolve("stack/logs"));
        return report.failed().isEmpty() ? 0 : 1;
    }

    /** Runs the measured tasks on C threads (at most C in flight), in submission order of index. */
    private List<TaskSample> runTasks(TaskProbe probe) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
        try {
            CompletionService<TaskSample> done = new ExecutorCompletionService<>(pool);
            for (int i = 1; i <= options.tasks(); i++) {
                int index = i;
                done.submit(() -> probe.run(index, description(index), TASK_LIMIT));
            }
            List<TaskSample> samples = new ArrayList<>();
            for (int i = 0; i < options.tasks(); i++) {
                TaskSample sample = done.take().get();
                print("task " + sample.index() + "/" + options.tasks(), sample);
                samples.add(sample);
            }
            samples.sort(Comparator.comparingInt(TaskSample::index));
            return samples;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String description(int index) {
        return "Benchmark task " + index + " (" + UUID.randomUUID().toString().substring(0, 8)
            + "): read README.md and summarise it in one sentence.";
    }

    private static void print(String label, TaskSample sample) {
        if (!sample.completed()) {
            System.out.println("  " + label + ": FAILED " + sample.failure());
            return;
        }
        System.out.printf("  %s: AgentStarted %s ms (server) / seen %s ms, first output %s ms, turn_ended %s ms%n",
            label, ms(sample.agentStartedServer()), ms(sample.agentStartedSeen()), ms(sample.firstOutputSeen()),
            ms(sample.turnEndedSeen()));
    }

    private static String ms(Duration duration) {
        return duration == null ? "-" : Long.toString(duration.toMillis());
    }
}
