package dev.handoff.localstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka broker (KRaft, combined broker+controller, one node) in its own JVM:
 * {@code java -Xmx384m -cp <kafka classpath> kafka.Kafka <dataDir>/server.properties}.
 *
 * <p>Data lives in {@code <dataDir>/kraft-logs} (formatted once with {@code kafka.tools.StorageTool}),
 * the broker's output in {@code <dataDir>/kafka.log}. {@link #kill()} (SIGKILL) and
 * {@link #restart()} keep the data directory and ports.
 *
 * <p>The broker's classpath is found, in order, from: system property {@code handoff.kafka.classpath}
 * (or env {@code HANDOFF_KAFKA_CLASSPATH}), a classpath string; system property
 * {@code handoff.kafka.lib} (env {@code HANDOFF_KAFKA_LIB}), a directory of jars; the directory
 * {@code kafka-lib} next to the local-stack jar or classes directory (the build copies it to
 * {@code local-stack/target/kafka-lib}); the list of local Maven repository jars recorded at build
 * time in the resource {@code dev/handoff/localstack/kafka-classpath.txt}.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final String CLASSPATH_PROPERTY = "handoff.kafka.classpath";
    public static final String LIB_PROPERTY = "handoff.kafka.lib";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final ManagedProcess process;

    private KafkaBroker(Path dataDir, int port, int controllerPort, ManagedProcess process) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = process;
    }

    /** Starts a broker on free ports (reusing the ports of an earlier run on this directory if free). */
    public static KafkaBroker start(Path dataDir) {
        return start(dataDir, 0, 0);
    }

    /** Starts a broker on {@code port} (0: free, or the earlier run's port); the controller port is chosen. */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, 0);
    }

    /**
     * Starts a broker and waits until it answers (AdminClient describeCluster). Port 0 means: the
     * port of an earlier run on the same data directory if that is free, otherwise a free one.
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, Map.of());
    }

    /** As {@link #start(Path, int, int)}, with extra or overriding {@code server.properties} entries. */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort, Map<String, String> extraProperties) {
        try {
            dataDir = dataDir.toAbsolutePath();
            Files.createDirectories(dataDir);
            Path propsFile = dataDir.resolve("server.properties");
            Path portsFile = dataDir.resolve("ports.properties");
            Properties previous = new Properties();
            if (Files.exists(portsFile)) {
                try (Reader r = Files.newBufferedReader(portsFile)) {
                    previous.load(r);
                }
            }
            int brokerPort = choosePort(port, previous.getProperty("handoff.port"));
            int ctlPort = choosePort(controllerPort, previous.getProperty("handoff.controller.port"));
            while (ctlPort == brokerPort) {
                ctlPort = Ports.freePort();
            }
            Path logDir = dataDir.resolve("kraft-logs");
            writeServerProperties(propsFile, logDir, brokerPort, ctlPort, extraProperties);
            Files.writeString(portsFile, "# ports of the last start, reused when started with port 0\nhandoff.port="
                    + brokerPort + "\nhandoff.controller.port=" + ctlPort + "\n");

            String classpath = kafkaClasspath();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path logFile = dataDir.resolve("kafka.log");

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                List<String> format = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", classpath));
                format.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                        "-c", propsFile.toString(), "--ignore-formatted"));
                ManagedProcess formatter = ManagedProcess.builder("kafka-storage-format", format)
                        .workDir(dataDir).logFile(logFile).start();
                if (!formatter.waitForExit(Duration.ofSeconds(60)) || formatter.exitValue() != 0) {
                    formatter.kill();
                    throw new IllegalStateException("formatting Kafka storage failed (exit " + formatter.exitValue() + ")\n"
                            + formatter.logTail(40));
                }
            }

            List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-Xms64m",
                    "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn",
                    "-Dhandoff.local-stack=kafka",
                    "-cp", classpath, "kafka.Kafka", propsFile.toString()));
            ManagedProcess process = ManagedProcess.builder("kafka", command)
                    .workDir(dataDir).logFile(logFile).start();
            KafkaBroker broker = new KafkaBroker(dataDir, brokerPort, ctlPort, process);
            try {
                broker.awaitReady();
            } catch (RuntimeException e) {
                process.kill();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int choosePort(int requested, String previous) {
        if (requested > 0) {
            return requested;
        }
        if (previous != null) {
            int p = Integer.parseInt(previous.trim());
            if (Ports.isFree(p)) {
                return p;
            }
        }
        return Ports.freePort();
    }

    private static void writeServerProperties(Path file, Path logDir, int port, int controllerPort,
            Map<String, String> extra) throws IOException {
        StringBuilder props = new StringBuilder(String.join("\n",
                "# written by dev.handoff.localstack.KafkaBroker",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir,
                "num.partitions=3",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=5",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // HandoffStack's services ask for a 4 s consumer session (the broker's floor is 6 s by default)
                "group.min.session.timeout.ms=2000",
                "auto.create.topics.enable=true",
                "delete.topic.enable=true",
                "num.network.threads=2",
                "num.io.threads=4",
                "num.recovery.threads.per.data.dir=2",
                "log.retention.hours=168",
                // after a SIGKILL the restarted broker can only register once the old registration's
                // session expired (DUPLICATE_BROKER_REGISTRATION until then): keep that short
                "broker.session.timeout.ms=4000",
                "broker.heartbeat.interval.ms=500",
                ""));
        extra.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, props, StandardCharsets.UTF_8);
    }

    private void awaitReady() {
        // first the plain TCP port (keeps the AdminClient from retrying against a closed port) ...
        process.waitUntil("listening on " + bootstrapServers(), READY_TIMEOUT, () -> Ports.accepts(port));
        // ... then a real Kafka request
        try (Admin admin = admin()) {
            process.waitUntil("accepting connections on " + bootstrapServers(), READY_TIMEOUT, () -> !admin
                    .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                    .nodes().get(3, TimeUnit.SECONDS).isEmpty());
        }
    }

    /** {@code 127.0.0.1:<port>} */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return process.logFile();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ManagedProcess process() {
        return process;
    }

    /** SIGKILL (no clean shutdown), then wait until the process is gone. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM (controlled shutdown), SIGKILL after 30 s. */
    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }

    /** Starts the broker again on the same data directory and ports (stops it first if running). */
    public void restart() {
        if (process.isAlive()) {
            stop();
        }
        process.restart();
        try {
            awaitReady();
        } catch (RuntimeException e) {
            process.kill();
            throw e;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** An AdminClient for this broker with short timeouts; close it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500,
                AdminClientConfig.CLIENT_ID_CONFIG, "local-stack-admin"));
    }

    /**
     * Publishes {@code event} as a service's outbox would: on its type's topic, keyed by its task (or node), with the
     * event-type header; returns once the broker has it. For tests that play another service.
     */
    public void publish(dev.handoff.contracts.Envelope event) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(event.topic(), event.kafkaKey(),
                    dev.handoff.contracts.EventCodec.encode(event));
            record.headers().add(dev.handoff.contracts.KafkaHeaders.EVENT_TYPE,
                    event.type().getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not publish " + event.type() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates topics with the broker defaults (3 partitions, replication 1); existing topics are fine. */
    public void createTopics(String... names) {
        createTopics(-1, names);
    }

    /** Creates topics with {@code partitions} partitions (-1: broker default); existing topics are fine. */
    public void createTopics(int partitions, String... names) {
        if (names.length == 0) {
            return;
        }
        Optional<Integer> p = partitions > 0 ? Optional.of(partitions) : Optional.empty();
        List<NewTopic> topics = Arrays.stream(names).distinct()
                .map(n -> new NewTopic(n, p, Optional.empty())).toList();
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("creating topics timed out", e);
        }
    }

    /** Names of the topics (internal ones excluded). */
    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot list topics", e);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The classpath for the broker JVM (see the class comment for where it comes from). */
    public static String kafkaClasspath() {
        String explicit = setting(CLASSPATH_PROPERTY, "HANDOFF_KAFKA_CLASSPATH");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String lib = setting(LIB_PROPERTY, "HANDOFF_KAFKA_LIB");
        if (lib != null && !lib.isBlank()) {
            return jarsIn(Path.of(lib)).orElseThrow(() -> new IllegalStateException(
                    LIB_PROPERTY + "=" + lib + " holds no kafka_2.13 jar"));
        }
        Optional<Path> here = codeLocation();
        if (here.isPresent()) {
            Optional<String> next = jarsIn(here.get().resolveSibling("kafka-lib"));
            if (next.isPresent()) {
                return next.get();
            }
        }
        Optional<String> recorded = recordedClasspath();
        if (recorded.isPresent()) {
            return recorded.get();
        }
        throw new IllegalStateException("No Kafka broker classpath: build local-stack (./mvnw -pl local-stack -am install"
                + " creates local-stack/target/kafka-lib) or set -D" + CLASSPATH_PROPERTY + " / -D" + LIB_PROPERTY
                + " (code location: " + here.map(Path::toString).orElse("unknown") + ")");
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(env);
    }

    private static Optional<Path> codeLocation() {
        try {
            var source = KafkaBroker.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("kafka_2.13"))) {
                return Optional.empty();
            }
            return Optional.of(jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> recordedClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-classpath.txt")) {
            if (in == null) {
                return Optional.empty();
            }
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            List<String> entries = Arrays.asList(cp.split(File.pathSeparator));
            boolean complete = !entries.isEmpty()
                    && entries.stream().allMatch(e -> Files.exists(Path.of(e)))
                    && entries.stream().anyMatch(e -> Path.of(e).getFileName().toString().startsWith("kafka_2.13"));
            return complete ? Optional.of(cp) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", " + process + ", " + dataDir + "]";
    }
}
