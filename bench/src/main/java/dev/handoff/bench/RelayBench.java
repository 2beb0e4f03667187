package dev.handoff.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.bench.node.OutputPlan;
import dev.handoff.bench.node.SendLog;
import dev.handoff.bench.node.SimulatedNode;
import dev.handoff.bench.relay.ReportTap;
import dev.handoff.bench.relay.SessionStreamReader;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalGitRepository;
import dev.handoff.localstack.ScriptedReplies;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The output relay: starts Handoff on this machine, attaches one simulated node ({@link SimulatedNode}: the real
 * node protocol, no agent processes), then for each rate R submits a task whose simulated agent streams N
 * agent_message_chunk updates at R per second while a client reads {@code GET /api/sessions/{id}/stream}. Reports
 * node-send -> SSE-receive latency per chunk and checks that the stored message ({@code GET
 * /api/sessions/{id}/messages}) is every chunk once, in order. Writes {@code bench/results/relay-<stamp>.md} and
 * {@code bench/results/relay-latest.md}.
 *
 * <p>Exit codes: 0 every chunk arrived and every stored message was right, 1 otherwise, 2 bad arguments.
 */
public final class RelayBench {

    static final String USAGE = "usage: bin/bench-relay [--chunks N] [--rates R1,R2,...] [--profile] [--rebuild]"
        + "   (defaults: 5000 chunks at 100,1000,5000 per second; --profile: a JFR recording of each service in"
        + " the work directory's jfr/)";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** Besides the time the node needs to send them, how long the chunks may take to arrive. */
    static final Duration GRACE = Duration.ofSeconds(120);

    record Options(long chunks, List<Double> rates, boolean profile) {

        static Options parse(String[] args) {
            boolean profile = false;
            long chunks = 5000;
            List<Double> rates = List.of(100.0, 1000.0, 5000.0);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--profile" -> profile = true;
                    case "--chunks" -> {
                        chunks = positive("--chunks", value);
                        i++;
                    }
                    case "--rates" -> {
                        if (value == null) {
                            throw new IllegalArgumentException("--rates needs a value");
                        }
                        rates = new ArrayList<>();
                        for (String rate : value.split(",")) {
                            rates.add((double) positive("--rates", rate.strip()));
                        }
                        i++;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            return new Options(chunks, List.copyOf(rates), profile);
        }

        private static long positive(String name, String value) {
            try {
                long parsed = Long.parseLong(value);
                if (parsed < 1) {
                    throw new NumberFormatException();
                }
                return parsed;
            } catch (NumberFormatException | NullPointerException e) {
                throw new IllegalArgumentException(name + " must be a positive whole number, got " + value);
            }
        }
    }

    private final Options options;
    private final Path repoRoot;
    private final OffsetDateTime started;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RelayBench(Options options, Path repoRoot, OffsetDateTime started) {
        this.options = options;
        this.repoRoot = repoRoot;
        this.started = started;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench-relay: " + e.getMessage());
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
            exit = new RelayBench(options, HandoffStack.findRepoRoot(), OffsetDateTime.now()).run();
        } catch (Exception e) {
            System.err.println("bench-relay: failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    int run() throws Exception {
        String stamp = started.format(STAMP);
        Path work = repoRoot.resolve("bench/target/bench-work").resolve("relay-" + stamp);
        Files.createDirectories(work);
        String repositoryUrl = LocalGitRepository.bareRepositoryWithProject(work.resolve("git"));
        System.out.println("bench-relay: starting Handoff in " + work + " ...");
        HandoffStack.Options stackOptions = HandoffStack.Options.forTests(work.resolve("stack"), new ScriptedReplies());
        if (options.profile()) {
            Files.createDirectories(work.resolve("jfr"));
            for (String service : HandoffStack.SERVICES.keySet()) {
                // JFR's default profile: execution samples every 10-20 ms, dumped when the service stops
                stackOptions = stackOptions.withServiceEnv(service, "JAVA_TOOL_OPTIONS",
                    "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                        + work.resolve("jfr").resolve(service + ".jfr").toAbsolutePath());
            }
        }
        try (HandoffStack stack = HandoffStack.start(stackOptions)) {
            HandoffClient api = new HandoffClient(stack.chatUrl(), stack.operatorApiToken());
            SendLog sends = new SendLog();
            JsonNode ticket = api.attachNode();
            String nodeId = ticket.path("nodeId").asText();
            try (SimulatedNode node = new SimulatedNode(stack.gatewayUrl(), nodeId, ticket.path("token").asText(),
                work, Duration.ofSeconds(5), sends).start();
                 ReportTap tap = new ReportTap(stack.kafka().bootstrapServers())) {
                awaitConnected(api, nodeId);
                String projectId = api.createProject("relay", repositoryUrl);
                System.out.println("bench-relay: warm-up ...");
                probe(api, projectId, sends, tap, new OutputPlan(Math.min(options.chunks(), 2000), 1000));
                List<RelaySample> samples = new ArrayList<>();
                for (double rate : options.rates()) {
                    OutputPlan plan = new OutputPlan(options.chunks(), rate);
                    System.out.println("bench-relay: " + plan.description() + " ...");
                    RelaySample sample = probe(api, projectId, sends, tap, plan);
                    System.out.println("  " + RelayReport.row(sample));
                    samples.add(sample);
                }
                RelayReport report = new RelayReport(RunInfo.of(repoRoot, started), samples);
                Path results = repoRoot.resolve("bench/results");
                Files.createDirectories(results);
                Path file = results.resolve("relay-" + stamp + ".md");
                Files.writeString(file, report.markdown());
                Files.writeString(results.resolve("relay-latest.md"), report.markdown());
                System.out.println();
                System.out.println(report.table());
                System.out.println("results: " + repoRoot.relativize(file) + " (and bench/results/relay-latest.md)");
                System.out.println("logs:    " + work.resolve("stack/logs"));
                return samples.stream().allMatch(RelaySample::complete) ? 0 : 1;
            }
        }
    }

    private static void awaitConnected(HandoffClient api, String nodeId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode node = api.node(nodeId);
            if ("connected".equals(node.path("status").asText()) && "healthy".equals(node.path("health").asText())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the simulated node " + nodeId + " did not connect within 60 s");
    }

    /** Submits the plan's task, reads its stream until every chunk arrived (or the limit), then checks the store. */
    private RelaySample probe(HandoffClient api, String projectId, SendLog sends, ReportTap tap, OutputPlan plan)
        throws InterruptedException {
        HandoffClient.Accepted task = api.submitTask(projectId, plan.description());
        tap.follow(task.taskId());
        long limit = (long) (plan.chunks() / plan.perSecond()) + GRACE.toSeconds();
        try (SessionStreamReader stream = new SessionStreamReader(http,
            api.request("/api/sessions/" + task.sessionId() + "/stream?after=0"), plan.chunks())) {
            if (!stream.awaitAll(limit)) {
                System.out.println("  only " + stream.seen() + " of " + plan.chunks() + " chunks arrived within "
                    + limit + " s" + (stream.failure() == null ? "" : " (" + stream.failure() + ")"));
            }
            String stored = storedProblem(api, task.sessionId(), plan);
            RelayStages stages = RelayStages.of(sends.of(task.taskId()), stream.arrivedAt(), stream.storedAtMillis(),
                tap.outputs(), EPOCH_AT_NANO_ZERO);
            return RelaySample.of(plan, sends.of(task.taskId()), stream.arrivedAt(), stream.events(),
                stream.bytes(), stored, stages);
        }
    }

    /** Epoch milliseconds at {@link System#nanoTime} 0: turns this JVM's send and arrival times into wall-clock time. */
    private static final double EPOCH_AT_NANO_ZERO = System.currentTimeMillis() - System.nanoTime() / 1e6;

    /** Null when the session holds one assistant message that is every chunk once, in order. */
    private static String storedProblem(HandoffClient api, String sessionId, OutputPlan plan) {
        StringBuilder expected = new StringBuilder();
        for (long i = 1; i <= plan.chunks(); i++) {
            expected.append(OutputPlan.text(i));
        }
        List<String> assistant = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = api.messages(sessionId, after, 500);
            for (JsonNode message : page.path("messages")) {
                if ("assistant".equals(message.path("role").asText())) {
                    assistant.add(message.path("content").asText());
                }
            }
            if (page.path("messages").size() < 500) {
                break;
            }
            after = page.path("nextAfter").asLong();
        }
        if (assistant.size() != 1) {
            return assistant.size() + " assistant messages";
        }
        String content = assistant.get(0);
        if (content.contentEquals(expected)) {
            return null;
        }
        return "the stored message holds " + OutputPlan.chunksIn(content) + " chunks, not the " + plan.chunks()
            + " sent in order (first difference at character " + firstDifference(content, expected) + ")";
    }

    private static int firstDifference(String a, CharSequence b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
