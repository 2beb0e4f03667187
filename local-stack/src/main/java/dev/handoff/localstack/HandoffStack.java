package dev.handoff.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.handoff.contracts.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * All of Handoff on this machine, each piece its own process: a Kafka broker, a PostgreSQL server with one
 * database per service, the four services from their packaged builds, and (unless a real API key is given) a
 * fake Anthropic Messages API for the agent to talk to. Nodes are started by the provisioner's local provider.
 * Used by the end-to-end tests, the benchmark and the local run command.
 */
public final class HandoffStack implements AutoCloseable {

    /** The services, in start order, with the database each owns. */
    public static final Map<String, String> SERVICES = Map.of(
        "chat-service", "chat",
        "orchestrator-service", "orchestrator",
        "provisioner-service", "provisioner",
        "vm-agent-gateway", "gateway");

    /** The vm-agent's repository policy variables; a test that sets its own pass list keeps these in it. */
    public static final String REPOSITORY_POLICY_ENV =
        "HANDOFF_REPOSITORY_ALLOWED_NETWORKS,HANDOFF_REPOSITORY_ALLOW_HTTP,HANDOFF_REPOSITORY_ALLOW_FILE_URLS";

    /**
     * The provisioner's variables its local nodes get ({@code HANDOFF_PROVISIONER_LOCAL_PASS_ENV}); a test adds to it,
     * e.g. to arm a vm-agent crash point.
     */
    public static final String LOCAL_NODE_PASS_ENV =
        "ANTHROPIC_API_KEY,OPENAI_API_KEY,GEMINI_API_KEY,HANDOFF_AGENT_CACHE_DIR," + REPOSITORY_POLICY_ENV;

    /** The tests' own git servers listen on 127.0.0.1 (IPv6 loopback stays refused, as everywhere). */
    public static final String LOOPBACK_NETWORKS = "127.0.0.0/8";

    static final Duration SERVICE_START = Duration.ofSeconds(120);

    /** service-kit {@code CrashPoints.FILE_ENV}: the file of crash points a running service reads. */
    static final String CRASH_POINTS_FILE_ENV = "HANDOFF_CRASH_POINTS_FILE";
    /** The Kafka consumer session of this stack's services, shorter than service-kit's 10 s (startService). */
    static final int KAFKA_SESSION_MS = 4000;

    /** The operator account chat-service creates at startup; its password is generated into the work folder. */
    public static final String OPERATOR_EMAIL = "operator@handoff.local";

    /**
     * How to start the stack.
     *
     * @param repoRoot        the Handoff checkout (holds the built modules and agents/)
     * @param workDir         where data, logs and nodes go
     * @param anthropicApiKey a real key; null starts the fake model server instead
     * @param script          the fake model's replies (ignored with a real key)
     * @param fixedPorts      use the default service ports (8080...) instead of free ones
     * @param fsync           PostgreSQL fsync (off is fine for tests)
     * @param serviceEnv      extra environment per service name (configuration overrides, e.g. short deadlines)
     * @param fakeOidc        start a fake OIDC provider and configure chat-service's team sign-in against it
     */
    public record Options(Path repoRoot, Path workDir, String anthropicApiKey, ReplyScript script, boolean fixedPorts,
                          boolean fsync, Map<String, Map<String, String>> serviceEnv, boolean fakeOidc) {
        /**
         * Free ports, no fsync, open sign-up so each test can create its own users (each trusted with local nodes
         * like the operator), the fake OIDC provider, and
         * repositories on this machine's git servers over plain http (loopback allowed on purpose: every other
         * installation refuses it).
         */
        public static Options forTests(Path workDir, ReplyScript script) {
            Options options = new Options(findRepoRoot(), workDir, null, script, false, false, Map.of(), true)
                .withServiceEnv("chat-service", "HANDOFF_AUTH_SIGNUP_OPEN", "true")
                // Every test signs up users of its own and runs their tasks on local nodes: on a test stack every
                // account is trusted like the operator (docs/security.md); AttachNodeEndToEndTest turns it off.
                .withServiceEnv("provisioner-service", "HANDOFF_PROVISIONER_LOCAL_TRUST_EVERY_ACCOUNT", "true")
                .withRepositoryNetworks(LOOPBACK_NETWORKS, true);
            // Each service watches a file of crash points a test may arm while it runs (armCrashPoint).
            for (String service : SERVICES.keySet()) {
                options = options.withServiceEnv(service, CRASH_POINTS_FILE_ENV,
                    workDir.toAbsolutePath().resolve("crash-points").resolve(service).toString());
            }
            return options;
        }

        /**
         * These options with repository URLs allowed into {@code networks} (CIDRs, comma-separated) besides public
         * addresses, and plain http when {@code allowHttp}: for chat-service (handoff.projects.*) and for the local
         * nodes (HANDOFF_REPOSITORY_*), which check again before cloning.
         */
        public Options withRepositoryNetworks(String networks, boolean allowHttp) {
            return withServiceEnv("chat-service", "HANDOFF_PROJECTS_ALLOWED_NETWORKS", networks)
                .withServiceEnv("chat-service", "HANDOFF_PROJECTS_ALLOW_HTTP", Boolean.toString(allowHttp))
                .withServiceEnv("provisioner-service", "HANDOFF_REPOSITORY_ALLOWED_NETWORKS", networks)
                .withServiceEnv("provisioner-service", "HANDOFF_REPOSITORY_ALLOW_HTTP", Boolean.toString(allowHttp));
        }

        /** These options with {@code name=value} added to {@code service}'s environment. */
        public Options withServiceEnv(String service, String name, String value) {
            Map<String, Map<String, String>> env = new LinkedHashMap<>(serviceEnv);
            Map<String, String> forService = new LinkedHashMap<>(env.getOrDefault(service, Map.of()));
            forService.put(name, value);
            env.put(service, forService);
            return new Options(repoRoot, workDir, anthropicApiKey, script, fixedPorts, fsync, env, fakeOidc);
        }

        /** These options with or without the fake OIDC provider. */
        public Options withFakeOidc(boolean on) {
            return new Options(repoRoot, workDir, anthropicApiKey, script, fixedPorts, fsync, serviceEnv, on);
        }
    }

    /** The client chat-service is registered as at the fake OIDC provider. */
    public static final String OIDC_CLIENT_ID = "handoff-local";
    /** What the sign-in page's provider button says with the fake OIDC provider. */
    public static final String OIDC_DISPLAY_NAME = "Company SSO";

    private final Options options;
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private FakeAnthropicServer model;
    private FakeOpenAiServer openAiModel;
    private FakeGeminiServer geminiModel;
    private FakeOidcProvider oidc;
    private final Map<String, ManagedProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private String operatorPassword;
    private String internalToken;
    /** AES-256 key for chat-service's secrets store, made for this run (base64 of 32 random bytes). */
    private final String secretsKey = randomBase64(32);

    private HandoffStack(Options options) {
        this.options = options;
    }

    public static HandoffStack start(Options options) {
        HandoffStack stack = new HandoffStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        Path work = options.workDir().toAbsolutePath();
        mkdirs(work);
        operatorPassword = StackSecrets.readOrCreate(work.resolve("operator-password"));
        internalToken = StackSecrets.readOrCreate(work.resolve("internal-token"));
        CompletableFuture<KafkaBroker> kafkaStart = CompletableFuture.supplyAsync(() ->
            KafkaBroker.start(work.resolve("kafka"), options.fixedPorts() ? 9092 : 0,
                options.fixedPorts() ? 9093 : 0));
        postgres = PostgresServer.builder(work.resolve("postgres")).port(options.fixedPorts() ? 5433 : 0)
            .fsync(options.fsync()).start();
        SERVICES.values().forEach(postgres::createDatabase);
        kafka = kafkaStart.join();
        kafka.createTopics(Topics.ALL);
        if (options.anthropicApiKey() == null) {
            model = FakeAnthropicServer.start(options.script() != null ? options.script() : new DemoReplies());
            openAiModel = FakeOpenAiServer.start(0);
            geminiModel = FakeGeminiServer.start(0);
        }
        if (options.fakeOidc()) {
            // URL-safe, as providers issue them: nothing in it changes meaning when form-encoded.
            oidc = FakeOidcProvider.start(0, OIDC_CLIENT_ID,
                Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(randomBase64(32))));
        }
        int next = 8080;
        for (String service : List.of("chat-service", "orchestrator-service", "provisioner-service",
            "vm-agent-gateway")) {
            ports.put(service, options.fixedPorts() ? next++ : Ports.freePort());
        }
        Path agentsFile = writeAgentsFile(work);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : ports.entrySet()) {
            ManagedProcess process = startService(entry.getKey(), entry.getValue(), work, agentsFile);
            services.put(entry.getKey(), process);
            ready.add(CompletableFuture.runAsync(() -> process.waitForHttp(
                "http://127.0.0.1:" + entry.getValue() + "/q/health/ready", SERVICE_START)));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    }

    private ManagedProcess startService(String service, int port, Path work, Path agentsFile) {
        Path jar = options.repoRoot().resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw package -DskipTests)");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        // A service that crashed here is back in about 6 s; with service-kit's 10 s session its new consumers would
        // wait for the dead ones' sessions to expire before they get a partition. On one machine heartbeats do not
        // cross a network, so a 4 s session (KafkaBroker allows it) is safe and the restart finds them gone.
        env.put("MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_SESSION_TIMEOUT_MS", Integer.toString(KAFKA_SESSION_MS));
        env.put("MP_MESSAGING_CONNECTOR_SMALLRYE_KAFKA_HEARTBEAT_INTERVAL_MS", Integer.toString(KAFKA_SESSION_MS / 4));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(SERVICES.get(service)));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("HANDOFF_INTERNAL_TOKEN", internalToken);
        if (service.equals("chat-service")) {
            // A single-user Handoff on this machine: projects may name local repositories.
            env.put("HANDOFF_PROJECTS_ALLOW_FILE_URLS", "true");
            env.put("HANDOFF_AUTH_BOOTSTRAP_EMAIL", OPERATOR_EMAIL);
            env.put("HANDOFF_AUTH_BOOTSTRAP_PASSWORD", operatorPassword);
            env.put("QUARKUS_REST_CLIENT_ORCHESTRATOR_URL", serviceUrl("orchestrator-service"));
            // A fresh secrets key for each run, never one from code; it lives only in the services' environment.
            env.put("HANDOFF_SECRETS_KEYS", "local:" + secretsKey);
            env.put("HANDOFF_SECRETS_ACTIVE_KEY", "local");
            env.put("QUARKUS_REST_CLIENT_PROVISIONER_URL", serviceUrl("provisioner-service"));
            env.put("HANDOFF_NODES_GATEWAY_PUBLIC_URL", serviceUrl("vm-agent-gateway"));
            // Where chat-service reads the SHA-256 of the vm-agent jar the gateway serves, for the attach answer.
            env.put("QUARKUS_REST_CLIENT_GATEWAY_URL", serviceUrl("vm-agent-gateway"));
            if (oidc != null) {
                // Team sign-in against the fake provider; the client secret only in the environment.
                env.put("HANDOFF_AUTH_OIDC_ISSUER_URL", oidc.issuer());
                env.put("HANDOFF_AUTH_OIDC_CLIENT_ID", oidc.clientId());
                env.put("HANDOFF_AUTH_OIDC_CLIENT_SECRET", oidc.clientSecret());
                env.put("HANDOFF_AUTH_OIDC_DISPLAY_NAME", OIDC_DISPLAY_NAME);
            }
        }
        if (service.equals("vm-agent-gateway")) {
            // Pull requests link back to the task's chat; a task's secrets come from chat-service's internal API.
            env.put("HANDOFF_GATEWAY_CHAT_PUBLIC_URL", chatUrl());
            env.put("HANDOFF_GATEWAY_SECRETS_URL", chatUrl());
            env.put("HANDOFF_GATEWAY_BOOTSTRAP_VM_AGENT_JAR",
                options.repoRoot().resolve("vm-agent/target/vm-agent-bootstrap.jar").toString());
            env.put("HANDOFF_GATEWAY_BOOTSTRAP_AGENTS_FILE", agentsFile.toString());
        }
        if (service.equals("provisioner-service")) {
            env.put("HANDOFF_PROVISIONER_LOCAL_VM_AGENT_JAR",
                options.repoRoot().resolve("vm-agent/target/vm-agent.jar").toString());
            env.put("HANDOFF_PROVISIONER_LOCAL_WORK_DIR", nodesDir().toString());
            env.put("HANDOFF_PROVISIONER_LOCAL_GATEWAY_URL", gatewayUrl());
            env.put("HANDOFF_PROVISIONER_LOCAL_AGENTS_FILE", agentsFile.toString());
            env.put("HANDOFF_PROVISIONER_LOCAL_JAVA", javaBinary());
            // Nodes share one agent cache, so Codex and Gemini CLI are installed once per checkout.
            env.put("HANDOFF_AGENT_CACHE_DIR", LocalAgents.agentCache(options.repoRoot()).toString());
            env.put("HANDOFF_PROVISIONER_LOCAL_PASS_ENV", LOCAL_NODE_PASS_ENV);
            // Like chat-service, local nodes clone local repositories (file://): a single-user Handoff on this machine.
            env.put("HANDOFF_REPOSITORY_ALLOW_FILE_URLS", "true");
            // Where a Hetzner server would fetch its vm-agent and which gateway it would dial (provider hetzner).
            env.put("HANDOFF_PROVISIONER_HETZNER_CONTROL_PLANE_URL", serviceUrl("vm-agent-gateway"));
            // A user's own Hetzner token is read from chat-service's secrets store.
            env.put("HANDOFF_PROVISIONER_SECRETS_URL", chatUrl());
            env.put("HANDOFF_PROVISIONER_HETZNER_GATEWAY_URL", gatewayUrl());
            // Local nodes all share this machine: a second one adds no capacity, so one node takes every task.
            env.put("HANDOFF_PROVISIONER_POOL_WORKSPACE_CAP", "1000");
            if (options.anthropicApiKey() != null) {
                env.put("ANTHROPIC_API_KEY", options.anthropicApiKey());
            }
        }
        env.putAll(options.serviceEnv().getOrDefault(service, Map.of()));
        Path logs = work.resolve("logs");
        mkdirs(logs);
        return ManagedProcess.builder(service, List.of(javaBinary(), "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
            .env(baseEnvironment())
            .env(env)
            .workDir(work)
            .logFile(logs.resolve(service + ".log"))
            .start();
    }

    /**
     * The agents file the vm-agents get: the real Claude Code ACP adapter (pre-installed), Codex and Gemini CLI
     * (installed on demand into the agent cache), all kept off the internet; with the fake model servers unless a
     * real key was given.
     */
    private Path writeAgentsFile(Path work) {
        Path adapter = options.repoRoot().resolve(
            "agents/node_modules/@agentclientprotocol/claude-agent-acp/dist/index.js");
        if (!Files.isRegularFile(adapter)) {
            throw new IllegalStateException(adapter + " is missing: run bin/install-agents");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION", "false");
        List<String> passEnv = new ArrayList<>();
        if (model != null) {
            env.putAll(LocalAgents.claudeCodeOnFakeModel(model.url(), "handoff-demo-key"));
        } else {
            passEnv.add("ANTHROPIC_API_KEY");
        }
        Map<String, Object> claude = new LinkedHashMap<>();
        claude.put("command", List.of(nodeBinary(), adapter.toString()));
        claude.put("env", env);
        claude.put("passEnv", passEnv);
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("permissionPolicy", "allow_once");
        Map<String, Object> agents = new LinkedHashMap<>();
        agents.put(LocalAgents.CLAUDE_CODE, claude);
        agents.put(LocalAgents.CODEX, LocalAgents.codex(nodeBinary(),
            openAiModel == null ? null : openAiModel.baseUrl(), openAiModel == null ? null : "handoff-demo-key"));
        agents.put(LocalAgents.GEMINI_CLI, LocalAgents.geminiCli(nodeBinary(),
            geminiModel == null ? null : geminiModel.url(), geminiModel == null ? null : "handoff-demo-key"));
        file.put("agents", agents);
        Path path = work.resolve("agents.json");
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(path.toFile(), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    private static Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.remove("ANTHROPIC_API_KEY");
        // Crash points are armed by a test for one service run (ManagedProcess.restart(Map)), never inherited.
        env.remove("HANDOFF_CRASH_AT");
        env.remove(CRASH_POINTS_FILE_ENV);
        return env;
    }

    public String chatUrl() {
        return "http://127.0.0.1:" + ports.get("chat-service");
    }

    /** The bootstrap operator's password (kept in {@code <work>/operator-password}, mode 600). */
    public String operatorPassword() {
        return operatorPassword;
    }

    /**
     * The shared service token of the internal APIs (orchestrator's {@code /api/saga}, {@code /api/ops}), given to
     * every service as {@code HANDOFF_INTERNAL_TOKEN}; kept in {@code <work>/internal-token}, mode 600.
     */
    public String internalToken() {
        return internalToken;
    }

    /** A new personal API token of the bootstrap operator. */
    public String operatorApiToken() {
        return ApiSignIn.apiToken(chatUrl(), OPERATOR_EMAIL, operatorPassword);
    }

    public String serviceUrl(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    public String gatewayUrl() {
        return "ws://127.0.0.1:" + ports.get("vm-agent-gateway") + "/nodes/connect";
    }

    /** Each node's folder is {@code nodesDir()/<nodeId>}; its workspaces are under {@code workspaces/}. */
    public Path nodesDir() {
        return options.workDir().toAbsolutePath().resolve("nodes");
    }

    public Path workspace(String nodeId, String workspaceId) {
        return nodesDir().resolve(nodeId).resolve("workspaces").resolve(workspaceId);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** The fake model server, when no real API key was given. */
    public Optional<FakeAnthropicServer> model() {
        return Optional.ofNullable(model);
    }

    /** The fake OpenAI Responses API Codex talks to, when no real API key was given. */
    public Optional<FakeOpenAiServer> openAiModel() {
        return Optional.ofNullable(openAiModel);
    }

    /** The fake Gemini API Gemini CLI talks to, when no real API key was given. */
    public Optional<FakeGeminiServer> geminiModel() {
        return Optional.ofNullable(geminiModel);
    }

    /** The fake OIDC provider chat-service's team sign-in uses, when started with {@code fakeOidc}. */
    public Optional<FakeOidcProvider> oidcProvider() {
        return Optional.ofNullable(oidc);
    }

    public ManagedProcess service(String name) {
        return services.get(name);
    }

    /**
     * Restarts one service with {@code envChanges} laid over its usual environment (an empty map: its usual
     * environment again), kept for its later restarts too, as a redeploy with other configuration would: SIGTERM, so it leaves its consumer group,
     * and the processes it started (the provisioner's local nodes) keep running. Returns once it is ready.
     */
    public void restartService(String service, Map<String, String> envChanges) {
        ManagedProcess process = services.get(service);
        if (process == null) {
            throw new IllegalArgumentException("no service " + service + " in this stack");
        }
        process.stopProcessOnly(Duration.ofSeconds(20));
        process.reconfigure(envChanges);
        process.restart();
        process.waitForHttp(serviceUrl(service) + "/q/health/ready", SERVICE_START);
    }

    /**
     * Arms {@code point} (service-kit {@code CrashPoints}) in the running {@code service}: the next time it gets
     * there it halts itself with exit code 86, as a SIGKILL at that point would, and the point is disarmed. Only
     * for stacks started {@link Options#forTests}.
     */
    public void armCrashPoint(String service, String point) {
        String file = options.serviceEnv().getOrDefault(service, Map.of()).get(CRASH_POINTS_FILE_ENV);
        if (file == null) {
            throw new IllegalStateException(service + " watches no crash points file (start the stack forTests)");
        }
        try {
            Path path = Path.of(file);
            Files.createDirectories(path.getParent());
            Path written = Files.writeString(path.resolveSibling(path.getFileName() + ".new"), point);
            Files.move(written, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The crash points armed in {@code service} that it has not reached yet ({@link #armCrashPoint}); empty when none
     * is, or for stacks not started {@link Options#forTests}.
     */
    public String armedCrashPoints(String service) {
        Path file = crashPointsFile(service);
        try {
            return file != null && Files.isRegularFile(file) ? Files.readString(file).strip() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Disarms every crash point armed in {@code service} (a test that armed one its trigger never reached). */
    public void disarmCrashPoints(String service) {
        Path file = crashPointsFile(service);
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path crashPointsFile(String service) {
        String file = options.serviceEnv().getOrDefault(service, Map.of()).get(CRASH_POINTS_FILE_ENV);
        return file == null ? null : Path.of(file);
    }

    public Path logFile(String service) {
        return services.get(service).logFile();
    }

    /** Stops the services, then every node process the provisioner started under this stack's folder, then infra. */
    @Override
    public void close() {
        services.values().forEach(p -> safely(() -> p.stop(Duration.ofSeconds(10))));
        safely(this::killNodes);
        if (model != null) {
            safely(model::close);
        }
        if (openAiModel != null) {
            safely(openAiModel::close);
        }
        if (geminiModel != null) {
            safely(geminiModel::close);
        }
        if (oidc != null) {
            safely(oidc::close);
        }
        if (kafka != null) {
            safely(kafka::close);
        }
        if (postgres != null) {
            safely(postgres::close);
        }
    }

    /** Kills the vm-agent processes (and their agents) running in this stack's nodes folder. */
    void killNodes() {
        Path nodes = nodesDir();
        ProcessHandle.allProcesses()
            .filter(p -> cwdOf(p).map(cwd -> cwd.startsWith(nodes)).orElse(false))
            .forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
    }

    private static Optional<Path> cwdOf(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The folder holding Handoff's root pom, from {@code handoff.root} or upwards of the working directory. */
    public static Path findRepoRoot() {
        String configured = System.getProperty("handoff.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>handoff-parent</artifactId>")
                    && Files.isDirectory(dir.resolve("contracts"))) {
                    return dir;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the Handoff checkout; set -Dhandoff.root");
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    public static String nodeBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path node = Path.of(dir, "node");
            if (Files.isExecutable(node)) {
                return node.toString();
            }
        }
        throw new IllegalStateException("node (Node.js) is not on the PATH; the Claude Code agent needs it");
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            System.err.println("stack: " + e.getMessage());
        }
    }

    private static String randomBase64(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
