package dev.handoff.e2e;

import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.LocalGitRepository;
import dev.handoff.localstack.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox and the inbox do not grow forever: chat-service runs with a retention of 2 seconds (purged every
 * second), the orchestrator with the defaults (days). After a task, chat-service's published outbox rows and
 * applied-event records are gone, while the orchestrator's are still there, so the purge, not something else,
 * emptied them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventRetentionEndToEndTest {

    private HandoffStack stack;
    private HandoffApi api;
    private String repositoryUrl;

    @BeforeAll
    void start() throws Exception {
        Path work = Path.of(System.getProperty("handoff.e2e.work", "target/e2e"))
            .resolve("retention-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
        repositoryUrl = LocalGitRepository.bareRepositoryWithProject(work.resolve("git"));
        stack = HandoffStack.start(HandoffStack.Options.forTests(work.resolve("stack"), request -> Reply.text("done"))
            .withServiceEnv("chat-service", "HANDOFF_RETENTION_OUTBOX_PUBLISHED", "PT2S")
            .withServiceEnv("chat-service", "HANDOFF_RETENTION_PROCESSED_EVENTS", "PT2S")
            .withServiceEnv("chat-service", "HANDOFF_RETENTION_PURGE_INTERVAL", "1s"));
        api = new HandoffApi(stack.chatUrl());
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void publishedOutboxRowsAndAppliedEventRecordsAreDeletedAfterTheirRetention() throws SQLException {
        String projectId = api.createProject("retention", repositoryUrl);
        String taskId = api.submitTask(projectId, "Say done").path("taskId").asText();
        await("turn ended").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));

        await("chat-service's outbox and inbox purged").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> {
                assertThat(count("chat", "select count(*) from outbox_event")).isZero();
                assertThat(count("chat", "select count(*) from processed_event")).isZero();
            });
        assertThat(count("orchestrator", "select count(*) from outbox_event where publishedAt is not null"))
            .as("the orchestrator keeps its published rows for days").isPositive();
        assertThat(count("orchestrator", "select count(*) from processed_event")).isPositive();
        assertThat(api.task(taskId).path("status").asText()).isEqualTo("turn_ended");
    }

    private long count(String database, String sql) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + stack.postgres().port() + "/" + database;
        try (Connection connection = DriverManager.getConnection(url, stack.postgres().user(),
                stack.postgres().password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
