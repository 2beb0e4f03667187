package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Repository URLs cannot turn Handoff into a port scanner of its own networks: a project naming the cloud's metadata
 * service, a link-local, private or IPv6 loopback address (the test stack allows only 127.0.0.0/8, explicitly, for
 * its own git servers) is refused with 400 naming repositoryUrl, on create and on edit; and a clone of an allowed
 * address that is no git server (the stack's own PostgreSQL port) fails with Handoff's generic reason, never git's
 * words about what answered on that port.
 */
@ExtendWith(SharedStack.class)
class RepositoryAddressEndToEndTest {

    private final SharedStack.Running shared = SharedStack.get();
    private final HandoffApi api = shared.api();

    @Test
    void urlsNamingMetadataLinkLocalPrivateOrLoopbackAddressesAreRefused() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/x.git", "https://169.254.1.7/x.git",
            "http://[::1]:5432/x.git", "https://10.0.0.8/x.git", "https://[fd00:ec2::254]/x.git",
            "https://[::ffff:169.254.169.254]/x.git", "https://2852039166/x.git")) {
            HandoffApi.Answer answer = api.post("/api/projects", project("probe", url));

            assertThat(answer.status()).as(url + " -> " + answer).isEqualTo(400);
            assertThat(answer.body().path("field").asText()).as(url).isEqualTo("repositoryUrl");
            assertThat(answer.body().path("message").asText()).as(url).startsWith("repositoryUrl ");
        }
        assertThat(api.post("/api/projects", project("probe", "http://169.254.169.254/x.git")).body()
            .path("message").asText()).contains("cloud metadata service");

        String projectId = api.createProject("moves", shared.repositoryUrl());
        HandoffApi.Answer edited = api.put("/api/projects/" + projectId,
            project("moves", "http://169.254.169.254/latest/x.git"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(400);
        assertThat(edited.body().path("field").asText()).isEqualTo("repositoryUrl");
        assertThat(api.get("/api/projects/" + projectId).body().path("repositoryUrl").asText())
            .isEqualTo(shared.repositoryUrl());
    }

    @Test
    void aCloneOfSomethingThatIsNoGitServerFailsWithAGenericReason() {
        int postgresPort = shared.stack().postgres().port();
        String projectId = api.createProject("not-git", "http://127.0.0.1:" + postgresPort + "/x.git");
        JsonNode accepted = api.submitTask(projectId, "Fix it");
        String taskId = accepted.path("taskId").asText();

        await("task " + taskId + " failed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
            .until(() -> api.task(taskId).path("status").asText().equals("failed"));

        JsonNode task = api.task(taskId);
        List<String> told = new ArrayList<>();
        told.add(task.path("failureReason").asText());
        task.path("timeline").forEach(step -> told.add(step.path("detail").asText()));
        api.messages(accepted.path("sessionId").asText()).forEach(m -> told.add(m.path("content").asText()));
        assertThat(task.path("failureReason").asText())
            .startsWith("git clone failed: could not reach the repository host");
        assertThat(told).allSatisfy(text -> assertThat(text.toLowerCase())
            .doesNotContain("empty reply").doesNotContain("recv failure").doesNotContain("connection reset")
            .doesNotContain("rpc failed").doesNotContain("unable to access").doesNotContain("curl")
            .doesNotContain(Integer.toString(postgresPort)));
    }

    private static String project(String name, String url) {
        return Json.MAPPER.createObjectNode().put("name", name).put("repositoryUrl", url).toString();
    }
}
