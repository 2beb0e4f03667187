package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.contracts.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A project's default node size reaches the node: a project made with {@code defaultNodeSize: medium} shows it,
 * its task runs on a medium node (a new one: a warm small node is too small for it), an edit changes it, and a
 * size Handoff does not know is refused naming the field.
 */
@ExtendWith(SharedStack.class)
class ProjectSettingsEndToEndTest {

    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void theProjectsDefaultNodeSizeIsTheSizeOfItsTasksNode() {
        HandoffApi.Answer created = api.post("/api/projects", body("sized", "medium").toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String projectId = created.body().path("id").asText();
        assertThat(created.body().path("defaultNodeSize").asText()).isEqualTo("medium");

        String taskId = api.submitTask(projectId, "Say done").path("taskId").asText();
        await("turn ended").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));
        JsonNode node = api.task(taskId).path("node");
        assertThat(node.path("size").asText()).isEqualTo("medium");
        assertThat(api.node(node.path("nodeId").asText()).path("size").asText()).isEqualTo("medium");

        HandoffApi.Answer edited = api.put("/api/projects/" + projectId, body("sized", "large").toString());
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(api.get("/api/projects/" + projectId).body().path("defaultNodeSize").asText()).isEqualTo("large");
        assertThat(api.cancelTask(taskId).status()).isEqualTo(202);
    }

    @Test
    void anUnknownNodeSizeIsRefusedNamingTheField() {
        HandoffApi.Answer refused = api.post("/api/projects", body("huge", "huge").toString());

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body().path("field").asText()).isEqualTo("defaultNodeSize");
        assertThat(refused.body().path("message").asText()).contains("large", "medium", "small");
        assertThat(api.get("/api/projects").body().findValuesAsText("name")).doesNotContain("huge");
    }

    private ObjectNode body(String name, String size) {
        return Json.MAPPER.createObjectNode().put("name", name).put("repositoryUrl", repositoryUrl)
            .put("defaultBranch", "main").put("defaultNodeSize", size);
    }
}
