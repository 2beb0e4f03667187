package dev.handoff.chat.component;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.localstack.ApiSignIn;
import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox and the inbox do not grow forever: with a retention of 2 seconds (purged every second), the outbox row
 * of a submitted task's TaskCreated and the inbox record of an applied TaskStatusChanged are there once the event
 * went out or was applied, and gone a few seconds later. chat-service with its real PostgreSQL and Kafka
 * ({@link RealInfrastructureResource}); the events cross the real broker.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.ShortRetention.class)
class EventRetentionTest {

    @TestHTTPResource("/")
    URL chat;

    @Test
    void publishedOutboxRowsAndAppliedEventRecordsAreDeletedAfterTheirRetention() throws Exception {
        ChatApi api = new ChatApi(chat, ApiSignIn.apiToken(base(), ComponentProfiles.OPERATOR_EMAIL,
            ComponentProfiles.OPERATOR_PASSWORD));
        String projectId = api.createProject("retention");
        String taskId = api.submitTask(projectId, "Say done").path("taskId").asText();
        await("TaskCreated published").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> count("select count(*) from outbox_event where publishedAt is not null") > 0);

        RealInfrastructureResource.kafka().publish(Envelope.first(
            new TaskStatusChanged("provisioning_node", "queued", "TaskCreated", null, null), taskId));
        await("the status applied").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> api.task(taskId).path("status").asText().equals("provisioning_node"));
        assertThat(count("select count(*) from processed_event")).isPositive();

        await("outbox and inbox purged").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> {
                assertThat(count("select count(*) from outbox_event")).isZero();
                assertThat(count("select count(*) from processed_event")).isZero();
            });
        assertThat(api.task(taskId).path("status").asText()).as("the purge removes records, not state")
            .isEqualTo("provisioning_node");
    }

    private String base() {
        String url = chat.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = RealInfrastructureResource.postgres().connect(RealInfrastructureResource.DATABASE);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
