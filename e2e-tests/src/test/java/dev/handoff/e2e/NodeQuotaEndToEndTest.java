package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-user node quota, set to one node that takes one task at a time: while the first task holds the user's
 * only node (its turn ended, its agent stays), the second task needs another node and fails with the quota's
 * reason, in the task view and in the chat.
 */
@ExtendWith(SharedStack.class)
@SharedStack.Configure(service = "provisioner-service", env = {"HANDOFF_PROVISIONER_QUOTA_MAX_NODES_PER_OWNER=1",
    "HANDOFF_PROVISIONER_POOL_WORKSPACE_CAP=1"})
class NodeQuotaEndToEndTest {

    /** A user of its own, with no node yet. */
    private final HandoffApi api = new HandoffApi(SharedStack.get().stack().chatUrl());
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void aTaskBeyondTheUsersNodeQuotaFailsSayingSo() {
        String projectId = api.createProject("quota", repositoryUrl);
        String first = api.submitTask(projectId, "Say ok").path("taskId").asText();
        await("first task turn ended").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(first).path("status").asText().equals("turn_ended"));

        JsonNode submitted = api.submitTask(projectId, "Say ok again");
        String second = submitted.path("taskId").asText();

        await("second task failed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(second).path("status").asText().equals("failed"));
        String reason = "node quota reached: you have 1 of 1 nodes; delete one (DELETE /api/nodes/{id}) or wait "
            + "until a warm node is deleted";
        assertThat(api.task(second).path("failureReason").asText()).isEqualTo(reason);
        await("chat told").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(api.messages(submitted.path("sessionId").asText()))
                .filteredOn(m -> m.path("role").asText().equals("system"))
                .extracting(m -> m.path("content").asText())
                .anySatisfy(text -> assertThat(text).contains(reason)));
        assertThat(api.nodes()).hasSize(1);
    }
}
