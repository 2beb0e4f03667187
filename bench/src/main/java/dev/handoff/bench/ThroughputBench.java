package dev.handoff.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.bench.node.SendLog;
import dev.handoff.bench.node.SimulatedNode;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalGitRepository;
import dev.handoff.localstack.ScriptedReplies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Task-start throughput (issue 12, benchmark 3): starts Handoff on this machine, attaches M simulated nodes
 * ({@link SimulatedNode}: the real node protocol, no agent processes), then for T seconds S clients submit tasks
 * through the public REST API as fast as it takes them. For each task: submitted (the POST sent) -> start_agent
 * received by a node (same JVM, same clock). Reports the submission rate, the sustained task starts per second and
 * the latency's percentiles; writes {@code bench/results/throughput-<stamp>.md} and {@code throughput-latest.md}.
 *
 * <p>Exit codes: 0 every submitted task reached a node within the grace, 1 otherwise, 2 bad arguments.
 */
public final class ThroughputBench {

    static final String USAGE = "usage: bin/bench-throughput [--nodes M] [--seconds T] [--clients S] [--rebuild]"
        + "   (defaults: 20 nodes, 30 seconds, 4 clients)";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** After the submitting stops, how long the last tasks may take to reach a node. */
    static final Duration GRACE = Duration.ofSeconds(120);

    record Options(int nodes, int seconds, int clients) {

        static Options parse(String[] args) {
            int nodes = 20;
            int seconds = 30;
            int clients = 4;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--nodes" -> nodes = positive("--nodes", value);
                    case "--seconds" -> seconds = positive("--seconds", value);
                    case "--clients" -> clients = positive("--clients", value);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            return new Options(nodes, seconds, clients);
        }

        private static int positive(String name, String value) {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < 1) {
                    throw new NumberFormatException();
                }
                return parsed;
            } catch (NumberFormatException | NullPointerException e) {
                throw new IllegalArgumentException(name + " must be a positive whole number, got " + value);
            }
        }
    }

    /** One submitted task: when its POST was sent and when it returned 202. */
    record Submitted(String taskId, long sentNanos, long acceptedNanos) {
    }

    private final Options options;
    private final Path repoRoot;
    private final OffsetDateTime started;

    ThroughputBench(Options options, Path repoRoot, OffsetDateTime started) {
        this.options = options;
        this.repoRoot = repoRoot;
        this.started = started;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench-throughput: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        java.util.logging.Logger.getLogger("dev.handoff.vmagent").setLevel(java.util.logging.Level.WARNING);
        int exit;
        try {
            exit = new ThroughputBench(options, HandoffStack.findRepoRoot(), OffsetDateTime.now()).run();
        } catch (Exception e) {
            System.err.println("bench-throughput: failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    int run() throws Exception {
        String stamp = started.format(STAMP);
        Path work = repoRoot.resolve("bench/target/bench-work").resolve("throughput-" + stamp);
        Files.createDirectories(work);
        String repositoryUrl = LocalGitRepository.bareRepositoryWithProject(work.resolve("git"));
        System.out.println("bench-throughput: starting Handoff in " + work + " ...");
        // The tasks stay in their conversation after their turn; every node takes as many as come.
        HandoffStack.Options stackOptions = HandoffStack.Options.forTests(work.resolve("stack"), new ScriptedReplies())
            .withServiceEnv("provisioner-service", "HANDOFF_PROVISIONER_POOL_WORKSPACE_CAP", "100000")
            // All M machines are the operator's, attached one right after the other.
            .withServiceEnv("provisioner-service", "HANDOFF_PROVISIONER_QUOTA_MAX_ATTACHED_PER_OWNER",
                Integer.toString(options.nodes()))
            .withServiceEnv("provisioner-service", "HANDOFF_PROVISIONER_QUOTA_MAX_ATTACH_TICKETS_PER_OWNER",
                Integer.toString(options.nodes()));
        try (HandoffStack stack = HandoffStack.start(stackOptions)) {
            HandoffClient api = new HandoffClient(stack.chatUrl(), stack.operatorApiToken());
            SendLog sends = new SendLog();
            List<SimulatedNode> nodes = new ArrayList<>();
            try {
                List<String> nodeIds = new ArrayList<>();
                for (int i = 0; i < options.nodes(); i++) {
                    JsonNode ticket = api.attachNode();
                    nodeIds.add(ticket.path("nodeId").asText());
                    nodes.add(new SimulatedNode(stack.gatewayUrl(), ticket.path("nodeId").asText(),
                        ticket.path("token").asText(), work, Duration.ofSeconds(30), sends).start());
                }
                awaitConnected(api, nodeIds);
                String projectId = api.createProject("throughput", repositoryUrl);
                System.out.println("bench-throughput: " + options.nodes() + " nodes connected; warm-up ...");
                awaitStarted(sends, List.of(submit(api, projectId)), Duration.ofSeconds(60));

                System.out.println("bench-throughput: " + options.clients() + " clients submit for "
                    + options.seconds() + " s ...");
                List<Submitted> submitted = submitFor(api, projectId);
                boolean all = awaitStarted(sends, submitted, GRACE);
                ThroughputReport report = ThroughputReport.of(RunInfo.of(repoRoot, started), options, submitted,
                    sends);
                Path results = repoRoot.resolve("bench/results");
                Files.createDirectories(results);
                Path file = results.resolve("throughput-" + stamp + ".md");
                Files.writeString(file, report.markdown());
                Files.writeString(results.resolve("throughput-latest.md"), report.markdown());
                System.out.println();
                System.out.println(report.table());
                System.out.println("results: " + repoRoot.relativize(file) + " (and bench/results/throughput-latest.md)");
                System.out.println("logs:    " + work.resolve("stack/logs"));
                return all ? 0 : 1;
            } finally {
                nodes.forEach(SimulatedNode::close);
            }
        }
    }

    private List<Submitted> submitFor(HandoffClient api, String projectId) throws InterruptedException {
        ConcurrentLinkedQueue<Submitted> submitted = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        long end = System.nanoTime() + Duration.ofSeconds(options.seconds()).toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(options.clients());
        for (int c = 0; c < options.clients(); c++) {
            clients.execute(() -> {
                while (System.nanoTime() < end) {
                    try {
                        submitted.add(submit(api, projectId));
                    } catch (RuntimeException e) {
                        if (refused.getAndIncrement() < 5) {
                            System.out.println("  a submission failed: " + e.getMessage());
                        }
                    }
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(options.seconds() + 60L, TimeUnit.SECONDS);
        if (refused.get() > 0) {
            System.out.println("  " + refused.get() + " submissions failed");
        }
        return List.copyOf(submitted);
    }

    private static Submitted submit(HandoffClient api, String projectId) {
        HandoffClient.Accepted accepted = api.submitTask(projectId, "stream 3 chunks at 1000/s");
        return new Submitted(accepted.taskId(), accepted.acceptedAtNanos() - accepted.postRoundTrip().toNanos(),
            accepted.acceptedAtNanos());
    }

    /** Whether every task's start_agent reached a node within {@code limit}. */
    private static boolean awaitStarted(SendLog sends, List<Submitted> tasks, Duration limit)
        throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (tasks.stream().allMatch(t -> sends.startAgentReceivedAt(t.taskId()) != null)) {
                return true;
            }
            Thread.sleep(50);
        }
        long missing = tasks.stream().filter(t -> sends.startAgentReceivedAt(t.taskId()) == null).count();
        System.out.println("  " + missing + " of " + tasks.size() + " tasks reached no node within " + limit);
        return false;
    }

    private static void awaitConnected(HandoffClient api, List<String> nodeIds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<String> waiting = new ArrayList<>(nodeIds);
        while (System.nanoTime() < deadline && !waiting.isEmpty()) {
            waiting.removeIf(id -> {
                JsonNode node = api.node(id);
                return "connected".equals(node.path("status").asText())
                    && "healthy".equals(node.path("health").asText());
            });
            Thread.sleep(100);
        }
        if (!waiting.isEmpty()) {
            throw new IllegalStateException(waiting.size() + " simulated nodes did not connect within 120 s");
        }
    }

    /** The run's figures and their Markdown. */
    record ThroughputReport(RunInfo run, Options options, int submitted, double submittedPerSecond, int started,
                            double startsPerSecond, double drainedAfterSeconds, LatencySummary latency,
                            LatencySummary postRoundTrip) {

        static ThroughputReport of(RunInfo run, Options options, List<Submitted> tasks, SendLog sends) {
            long first = tasks.stream().mapToLong(Submitted::sentNanos).min().orElse(0);
            long lastSent = tasks.stream().mapToLong(Submitted::sentNanos).max().orElse(first);
            double window = Math.max(1e-9, (lastSent - first) / 1e9);
            List<Double> latencies = new ArrayList<>();
            List<Double> posts = new ArrayList<>();
            long startedInWindow = 0;
            long lastStart = first;
            for (Submitted task : tasks) {
                posts.add((task.acceptedNanos() - task.sentNanos()) / 1e6);
                Long at = sends.startAgentReceivedAt(task.taskId());
                if (at != null) {
                    latencies.add((at - task.sentNanos()) / 1e6);
                    lastStart = Math.max(lastStart, at);
                    if (at <= lastSent) {
                        startedInWindow++;
                    }
                }
            }
            return new ThroughputReport(run, options, tasks.size(), tasks.size() / window, latencies.size(),
                startedInWindow / window, (lastStart - first) / 1e9, latencies.isEmpty() ? null : LatencySummary.of(latencies),
                posts.isEmpty() ? null : LatencySummary.of(posts));
        }

        String markdown() {
            StringBuilder out = new StringBuilder("# Task-start throughput\n\n");
            out.append(options.nodes()).append(" simulated nodes (bench `SimulatedNode`: the vm-agent's GatewayClient")
                .append(" and OutboundQueue against the real gateway, attached like users' machines) and ")
                .append(options.clients()).append(" clients submitting tasks through `POST /api/projects/{id}/tasks`")
                .append(" as fast as it answers, for ").append(options.seconds()).append(" s. Latency = submitted")
                .append(" (POST sent) -> start_agent received by a node (same JVM, same clock): chat-service ->")
                .append(" Kafka -> orchestrator -> provisioner (warm claim) -> orchestrator -> gateway -> node ->")
                .append(" workspace_ready -> orchestrator -> gateway -> node. Starts per second = tasks whose")
                .append(" start_agent arrived while the clients were still submitting, over that time; all started")
                .append(" after = from the first submission to the last start_agent (the backlog drained).\n\n");
            out.append(run.markdownTable()).append('\n');
            out.append(table());
            return out.toString();
        }

        String table() {
            StringBuilder out = new StringBuilder();
            out.append("| nodes | clients | submitted | submitted per s | reached a node | starts per s | all started"
                + " after s | POST p50 ms | submitted -> start_agent p50 ms | p95 ms | p99 ms | max ms |\n");
            out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            out.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %d | %.1f | %.1f | %s | %s |%n",
                options.nodes(), options.clients(), submitted, submittedPerSecond, started, startsPerSecond,
                drainedAfterSeconds,
                postRoundTrip == null ? "-" : String.format(Locale.ROOT, "%.0f", postRoundTrip.p50()),
                latency == null ? "- | - | - | -" : String.format(Locale.ROOT, "%.0f | %.0f | %.0f | %.0f",
                    latency.p50(), latency.p95(), latency.p99(), latency.max())));
            return out.toString();
        }
    }
}
