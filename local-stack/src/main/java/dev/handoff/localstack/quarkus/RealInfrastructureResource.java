package dev.handoff.localstack.quarkus;

import dev.handoff.contracts.Topics;
import dev.handoff.localstack.KafkaBroker;
import dev.handoff.localstack.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The middle test tier's infrastructure: a real PostgreSQL server and a real Kafka broker (the ones the local stack
 * runs), started once for a module's {@code @QuarkusTest}s and handed to the service as its datasource and
 * bootstrap servers, with every topic of {@link Topics#ALL} created. Use it as
 * {@code @QuarkusTestResource(value = RealInfrastructureResource.class, restrictToAnnotatedClass = false)} on one
 * test class of the module (one resource set per module: each other set boots Quarkus again).
 *
 * <p>Data goes to {@code target/quarkus-test-infra} of the module under test.
 */
public class RealInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    /** The one database the service under test gets. */
    public static final String DATABASE = "service";

    private static volatile PostgresServer postgres;
    private static volatile KafkaBroker kafka;

    @Override
    public Map<String, String> start() {
        Path work = Path.of("target", "quarkus-test-infra").toAbsolutePath();
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(() -> KafkaBroker.start(work.resolve("kafka")));
        postgres = PostgresServer.builder(work.resolve("postgres")).port(0).fsync(false).start();
        postgres.createDatabase(DATABASE);
        kafka = broker.join();
        kafka.createTopics(Topics.ALL);
        return Map.of(
            "quarkus.datasource.reactive.url", postgres.reactiveUrl(DATABASE),
            "quarkus.datasource.username", postgres.user(),
            "quarkus.datasource.password", postgres.password(),
            "kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The PostgreSQL server of the running tests (for assertions on the service's tables). */
    public static PostgresServer postgres() {
        return postgres;
    }

    /** The Kafka broker of the running tests (to send the service events, or read what it published). */
    public static KafkaBroker kafka() {
        return kafka;
    }
}
