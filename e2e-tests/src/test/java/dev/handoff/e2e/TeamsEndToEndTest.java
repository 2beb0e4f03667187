package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Teams through the public API with the real services and the real Claude Code adapter on the fake model: A makes a
 * team and adds B; B sees A's team project, runs a task in it on B's own node with B's own API key and reads the
 * agent's answer; C, not in the team, gets 404 for all of it; when A removes B, B's token and browser session get
 * 404 from then on and B's open live stream ends.
 */
@ExtendWith(SharedStack.class)
class TeamsEndToEndTest {

    private static final Duration TURN = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url = SharedStack.get().stack().chatUrl();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void aTeamsMembersShareItsProjectsAndARemovedMemberLosesThemAtOnce() {
        String marker = UUID.randomUUID().toString();
        HandoffApi a = new HandoffApi(url);
        HandoffApi c = new HandoffApi(url);
        // B signs up in the browser (cookie) and also uses an API token, as a script would.
        String bEmail = "teammate-" + marker.substring(0, 8) + "@e2e.handoff.test";
        String bPassword = UUID.randomUUID().toString();
        HandoffApi bBrowser = HandoffApi.browser(url);
        assertThat(bBrowser.post("/api/auth/signup", JSON.createObjectNode().put("email", bEmail)
            .put("password", bPassword).put("name", "B").toString()).status()).isEqualTo(201);
        HandoffApi b = HandoffApi.signIn(url, bEmail, bPassword);
        String aId = a.userId();
        String bId = b.userId();

        String teamName = "team " + marker;
        String teamId = a.createTeam(teamName);
        HandoffApi.Answer unknown = a.addTeamMember(teamId, "no-one-" + marker + "@e2e.handoff.test", "member");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
        assertThat(unknown.body().path("field").asText()).isEqualTo("email");
        HandoffApi.Answer added = a.addTeamMember(teamId, bEmail.toUpperCase(), "member");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.body().path("userId").asText()).isEqualTo(bId);
        assertThat(a.addTeamMember(teamId, bEmail, "member").status()).as("twice").isEqualTo(409);
        assertThat(b.get("/api/teams").body()).anySatisfy(team -> {
            assertThat(team.path("id").asText()).isEqualTo(teamId);
            assertThat(team.path("role").asText()).isEqualTo("member");
        });
        assertThat(b.get("/api/teams/" + teamId).body().path("members").findValuesAsText("email"))
            .containsExactlyInAnyOrder(a.email(), bEmail);

        String projectName = "team project " + marker;
        assertThat(c.post("/api/projects", HandoffApi.projectBody("sneaky", repositoryUrl, null, teamId))
            .body().path("field").asText()).as("a non-member puts a project in the team").isEqualTo("teamId");
        String projectId = a.createProject(projectName, repositoryUrl, null, teamId);

        // B sees the team's project with the team's name, and runs a task in it.
        assertThat(b.get("/api/projects").body()).anySatisfy(project -> {
            assertThat(project.path("id").asText()).isEqualTo(projectId);
            assertThat(project.path("teamName").asText()).isEqualTo(teamName);
            assertThat(project.path("editable").asBoolean()).isFalse();
        });
        HandoffApi.Answer edit = b.put("/api/projects/" + projectId, HandoffApi.projectBody("renamed by B",
            repositoryUrl, null, null));
        assertThat(edit.status()).as("a member edits another's team project: " + edit).isEqualTo(403);
        // Secrets stay each user's: B's task runs with B's key, never with A's (A owns the project).
        String aKey = "sk-ant-team-owner-" + UUID.randomUUID();
        String bKey = "sk-ant-team-member-" + UUID.randomUUID();
        assertThat(a.putSecret("anthropic_api_key", aKey).status()).isEqualTo(204);
        assertThat(b.putSecret("anthropic_api_key", bKey).status()).isEqualTo(204);
        String taskText = "Explain the team's module " + marker;
        JsonNode accepted = bBrowser.post("/api/projects/" + projectId + "/tasks",
            JSON.createObjectNode().put("description", taskText).toString()).body();
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        await().atMost(TURN).until(() -> b.task(taskId).path("status").asText().equals("turn_ended"));
        assertThat(b.messages(sessionId)).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("assistant");
            assertThat(m.path("content").asText()).contains(ScriptedReplies.DEFAULT_PREFIX).contains(marker);
        });
        FakeAnthropicServer model = SharedStack.get().model();
        assertThat(model.sawApiKey(bKey)).as("the submitter's key").isTrue();
        assertThat(model.sawApiKey(aKey)).as("the project owner's key").isFalse();
        assertThat(a.deleteSecret("anthropic_api_key").status()).isEqualTo(204);
        assertThat(b.deleteSecret("anthropic_api_key").status()).isEqualTo(204);
        // The task ran on B's node (B's quota), not A's; A, the team's owner, sees the session and the answer.
        String nodeId = await().atMost(Duration.ofSeconds(30)).until(
            () -> b.task(taskId).path("node").path("nodeId").asText(), id -> !id.isEmpty());
        assertThat(b.node(nodeId).path("id").asText()).isEqualTo(nodeId);
        assertThat(a.node(nodeId).isMissingNode()).isTrue();
        assertThat(a.get("/api/projects/" + projectId + "/sessions").body().findValuesAsText("id"))
            .contains(sessionId);
        assertThat(a.messages(sessionId)).anySatisfy(m -> assertThat(m.path("content").asText())
            .contains(ScriptedReplies.DEFAULT_PREFIX));

        // C, not in the team, gets 404 and none of it.
        List<String> teamPaths = List.of("/api/teams/" + teamId, "/api/projects/" + projectId,
            "/api/projects/" + projectId + "/sessions", "/api/tasks/" + taskId,
            "/api/sessions/" + sessionId + "/messages");
        for (String path : teamPaths) {
            assertNotFound(c.get(path), path, projectName, taskText, teamName);
        }
        assertNotFound(c.openStream("/api/sessions/" + sessionId + "/stream"), "stream", projectName, taskText,
            teamName);
        assertNotFound(c.sendFollowUp(sessionId, "let me in"), "follow-up", projectName, taskText, teamName);
        assertNotFound(c.cancelTask(taskId), "cancel", projectName, taskText, teamName);
        assertThat(c.get("/api/projects").body().findValuesAsText("id")).doesNotContain(projectId);

        // The rules of membership: a member removes no one else; the last owner stays.
        assertThat(b.removeTeamMember(teamId, aId).status()).isEqualTo(403);
        assertThat(a.removeTeamMember(teamId, aId).status()).as("the last owner leaves").isEqualTo(409);

        // B is watching the session live when A removes B: the stream ends, and every way in answers 404.
        CountDownLatch streaming = new CountDownLatch(1);
        CompletableFuture<List<HandoffApi.StreamEvent>> watching = CompletableFuture.supplyAsync(
            () -> b.stream(sessionId, null, null, events -> {
                streaming.countDown();
                return false;
            }, Duration.ofMinutes(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> streaming.getCount() == 0);
        assertThat(a.removeTeamMember(teamId, bId).status()).isEqualTo(204);
        assertThatThrownBy(watching::join).as("B's open stream ends").hasMessageContaining("the stream ended");
        for (HandoffApi removed : List.of(b, bBrowser)) {
            for (String path : teamPaths) {
                assertNotFound(removed.get(path), path, projectName, taskText, teamName);
            }
            assertNotFound(removed.openStream("/api/sessions/" + sessionId + "/stream"), "stream", projectName,
                taskText, teamName);
            assertNotFound(removed.sendFollowUp(sessionId, "still here?"), "follow-up", projectName, taskText,
                teamName);
            assertNotFound(removed.cancelTask(taskId), "cancel", projectName, taskText, teamName);
            assertThat(removed.get("/api/projects").body().findValuesAsText("id")).doesNotContain(projectId);
            assertThat(removed.get("/api/teams").body().findValuesAsText("id")).doesNotContain(teamId);
        }

        // A, the owner, still has all of it, and may stop the task B started.
        assertThat(a.get("/api/projects/" + projectId).body().path("teamName").asText()).isEqualTo(teamName);
        assertThat(a.cancelTask(taskId).status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(1)).until(() -> a.task(taskId).path("status").asText().equals("cancelled"));
    }

    private static void assertNotFound(HandoffApi.Answer answer, String what, String... hidden) {
        assertThat(answer.status()).as(what + ": " + answer).isEqualTo(404);
        for (String text : hidden) {
            assertThat(answer.body().toString()).as(what).doesNotContain(text);
        }
    }
}
