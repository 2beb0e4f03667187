package dev.handoff.localstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts Handoff on this machine with embedded defaults and keeps it running until Ctrl-C: Kafka, PostgreSQL,
 * the four services on ports 8080-8083 (free ports with {@code --random-ports}), local nodes on demand. Data and
 * logs go to {@code .handoff/local} ({@code --work DIR}). It prints the web chat's URL first (what to open), then
 * the sign-in and the API. Without ANTHROPIC_API_KEY the agent talks to Handoff's built-in demo model, and this
 * says so.
 */
public final class HandoffLocalMain {

    private HandoffLocalMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path root = HandoffStack.findRepoRoot();
        Path work = Path.of(System.getProperty("handoff.work", root.resolve(".handoff/local").toString()));
        boolean fixedPorts = true;
        java.util.List<String> repositoryNetworks = new java.util.ArrayList<>();
        boolean httpRepositories = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[++i]);
                case "--random-ports" -> fixedPorts = false;
                case "--allow-repository-network" -> repositoryNetworks.add(args[++i]);
                case "--allow-http-repositories" -> httpRepositories = true;
                default -> {
                    System.err.println("usage: bin/handoff-local [--work DIR] [--random-ports]"
                        + " [--allow-repository-network CIDR]... [--allow-http-repositories]");
                    System.exit(2);
                }
            }
        }
        String apiKey = System.getenv("ANTHROPIC_API_KEY");
        boolean demo = apiKey == null || apiKey.isBlank();
        System.out.println("Starting Handoff in " + work + " ...");
        // Local repositories (file://) are allowed; git servers on loopback or private networks only when named.
        HandoffStack stack = HandoffStack.start(new HandoffStack.Options(root, work, demo ? null : apiKey,
            Boolean.getBoolean("handoff.scripted") ? new ScriptedReplies() : new DemoReplies(), fixedPorts, true,
            java.util.Map.of(), false).withRepositoryNetworks(String.join(",", repositoryNetworks), httpRepositories));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Handoff ...");
            stack.close();
            stopped.countDown();
        }));
        System.out.println();
        System.out.println("Handoff is running.");
        System.out.println("  Web chat:   " + stack.chatUrl() + "/   (open it in a browser)");
        System.out.println("  Sign in:    " + HandoffStack.OPERATOR_EMAIL + " / " + stack.operatorPassword()
            + "   (kept in " + work.resolve("operator-password") + ")");
        System.out.println("  API:        " + stack.chatUrl() + "/api   (docs/api.md; the CLI: bin/handoff login --url "
            + stack.chatUrl() + ")");
        System.out.println("  Kafka:      " + stack.kafka().bootstrapServers());
        System.out.println("  PostgreSQL: " + stack.postgres().jdbcUrl("chat"));
        System.out.println("  Logs:       " + work.resolve("logs"));
        if (demo) {
            System.out.println();
            System.out.println("  NOTE: ANTHROPIC_API_KEY is not set. The agent answers with Handoff's built-in DEMO");
            System.out.println("  model (" + stack.model().orElseThrow().url() + "), not a real AI. Set ANTHROPIC_API_KEY");
            System.out.println("  and restart to use Claude.");
        } else {
            System.out.println("  Model:      Anthropic API (ANTHROPIC_API_KEY is set)");
        }
        System.out.println();
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }
}
