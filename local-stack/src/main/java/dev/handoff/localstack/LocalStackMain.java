package dev.handoff.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: starts one piece of infrastructure and keeps it running until this JVM is
 * stopped (SIGTERM/Ctrl-C stops the child too).
 *
 * <pre>
 * java -jar local-stack/target/local-stack.jar kafka    --data-dir DIR [--port N]
 * java -jar local-stack/target/local-stack.jar postgres --data-dir DIR [--port N] [--fsync on|off] [--db NAME]...
 * java -jar local-stack/target/local-stack.jar fake-anthropic [--port N] [--mode demo|scripted] [--log-dir DIR]
 * </pre>
 * Prints {@code KEY=value} lines (KAFKA_BOOTSTRAP_SERVERS, POSTGRES_PORT, ...) once ready.
 */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) throws Exception {
        // this JVM's own Kafka client logging (slf4j-simple on the jar's classpath): warnings only
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println("usage: kafka --data-dir DIR [--port N] | postgres --data-dir DIR [--port N] [--fsync on|off] [--db NAME]..."
                    + " | fake-anthropic [--port N] [--mode demo|scripted] [--log-dir DIR]");
            return;
        }
        String what = args[0];
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        if (what.equals("fake-anthropic")) {
            FakeAnthropicServerMain.main(rest);
            return;
        }
        Path dataDir = null;
        int port = 0;
        boolean fsync = true;
        List<String> dbs = new ArrayList<>();
        for (int i = 0; i < rest.length; i++) {
            switch (rest[i]) {
                case "--data-dir" -> dataDir = Path.of(rest[++i]);
                case "--port" -> port = Integer.parseInt(rest[++i]);
                case "--fsync" -> fsync = rest[++i].equals("on");
                case "--db" -> dbs.add(rest[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + rest[i]);
            }
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        AutoCloseable running;
        switch (what) {
            case "kafka" -> {
                KafkaBroker kafka = KafkaBroker.start(dataDir, port);
                System.out.println("KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers());
                System.out.println("KAFKA_PID=" + kafka.pid());
                running = kafka;
            }
            case "postgres" -> {
                PostgresServer pg = PostgresServer.builder(dataDir).port(port).fsync(fsync).start();
                dbs.forEach(pg::createDatabase);
                System.out.println("POSTGRES_PORT=" + pg.port());
                System.out.println("POSTGRES_PID=" + pg.pid());
                System.out.println("POSTGRES_JDBC_URL=" + pg.jdbcUrl(dbs.isEmpty() ? "postgres" : dbs.get(0)));
                running = pg;
            }
            default -> throw new IllegalArgumentException("unknown service " + what + " (kafka, postgres, fake-anthropic)");
        }
        System.out.flush();
        AutoCloseable toClose = running;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                toClose.close();
            } catch (Exception e) {
                System.err.println("stop failed: " + e);
            }
        }, "local-stack-shutdown"));
        new CountDownLatch(1).await();
    }
}
