package dev.handoff.chat.component;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 12: per-user caps (2 each in this profile) on tasks not ended, live streams and API tokens. Over a
 * cap the answer is 429 naming what is over its limit and the limit, and nothing is created; concurrent requests
 * of one user count one after the other in PostgreSQL (no more than the cap get through); what ends or is revoked
 * frees its place. chat-service on its real PostgreSQL and Kafka.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.SignInFlood.class)
class UserLimitsTest {

    private static final String PASSWORD = "a long enough password";

    @TestHTTPResource("/")
    URL chat;

    @Test
    void concurrentTasksBeyondTheCapAre429AndCreateNothingUntilOneEnds() throws Exception {
        ChatClient user = ChatClient.signUpForToken(chat, "tasks-" + UUID.randomUUID() + "@example.com", PASSWORD);
        String project = user.post("/api/projects", "{\"name\":\"limits\",\"repositoryUrl\":"
            + "\"file:///srv/git/limits.git\",\"defaultBranch\":\"main\"}").body().path("id").asText();
        String submit = "/api/projects/" + project + "/tasks";

        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<ChatClient.Answer> answers;
        try {
            List<CompletableFuture<ChatClient.Answer>> flood = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> user.post(submit, "{\"description\":\"task " + i
                    + "\"}"), threads)).toList();
            answers = flood.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdown();
        }

        List<Integer> statuses = answers.stream().map(ChatClient.Answer::status).toList();
        assertThat(statuses).as(answers.toString()).containsOnly(202, 429);
        assertThat(statuses).as("two admitted of six at once").filteredOn(status -> status == 202).hasSize(2);
        ChatClient.Answer refused = answers.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
        assertThat(refused.body().path("status").asInt()).isEqualTo(429);
        assertThat(refused.body().path("message").asText()).isEqualTo("limit reached: you have 2 of 2 open tasks "
            + "(handoff.limits.open-tasks-per-user); wait until one ends or cancel one (POST /api/tasks/{id}/cancel)");
        assertThat(user.get("/api/projects/" + project + "/sessions").body()).as("only the admitted tasks' chats")
            .hasSize(2);

        String first = answers.stream().filter(a -> a.status() == 202).findFirst().orElseThrow()
            .body().path("taskId").asText();
        RealInfrastructureResource.kafka().publish(Envelope.first(
            new TaskStatusChanged("failed", "queued", "NodeFailed", "no node", null), first));
        await("the failed task no longer counts").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> user.get("/api/tasks/" + first).body().path("status").asText().equals("failed"));
        assertThat(user.post(submit, "{\"description\":\"after one ended\"}").status()).isEqualTo(202);
        assertThat(user.post(submit, "{\"description\":\"one too many again\"}").status()).isEqualTo(429);
    }

    @Test
    void aThirdApiTokenIs429UntilOneIsRevoked() {
        ChatClient browser = ChatClient.browser(chat);
        String email = "tokens-" + UUID.randomUUID() + "@example.com";
        assertThat(browser.post("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
            + "\",\"name\":\"Tokens\"}").status()).isEqualTo(201);
        String firstId = browser.post("/api/tokens", "{\"name\":\"one\"}").body().path("id").asText();
        assertThat(browser.post("/api/tokens", "{\"name\":\"two\"}").status()).isEqualTo(201);

        ChatClient.Answer refused = browser.post("/api/tokens", "{\"name\":\"three\"}");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.body().path("message").asText()).isEqualTo("limit reached: you have 2 of 2 API tokens "
            + "(handoff.limits.api-tokens-per-user); revoke one first (DELETE /api/tokens/{id})");
        assertThat(browser.get("/api/tokens").body()).extracting(t -> t.path("name").asText())
            .containsExactlyInAnyOrder("one", "two");

        assertThat(browser.delete("/api/tokens/" + firstId).status()).isEqualTo(204);
        assertThat(browser.post("/api/tokens", "{\"name\":\"three\"}").status()).isEqualTo(201);
    }

    @Test
    void aThirdLiveStreamIs429UntilOneCloses() throws Exception {
        String token = dev.handoff.localstack.ApiSignIn.signUpForToken(ChatClient.origin(chat),
            "streams-" + UUID.randomUUID() + "@example.com", PASSWORD, "streams");
        ChatClient user = ChatClient.withToken(chat, token);
        String project = user.post("/api/projects", "{\"name\":\"streams\",\"repositoryUrl\":"
            + "\"file:///srv/git/streams.git\",\"defaultBranch\":\"main\"}").body().path("id").asText();
        String session = user.post("/api/projects/" + project + "/tasks", "{\"description\":\"watch me\"}")
            .body().path("sessionId").asText();
        String path = "/api/sessions/" + session + "/stream";
        HttpClient http = HttpClient.newHttpClient();
        List<InputStream> open = new ArrayList<>();
        try {
            open.add(openStream(http, token, path));
            open.add(openStream(http, token, path));

            ChatClient.Answer refused = user.openStream(path);

            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.body().path("message").asText()).isEqualTo("limit reached: you have 2 of 2 live "
                + "streams open on this server (handoff.limits.streams-per-user-per-replica); close one first (a "
                + "browser tab with a chat open)");
            assertThat(user.get("/api/sessions/" + session + "/messages").status())
                .as("other requests are answered").isEqualTo(200);

            open.remove(0).close();
            await("the closed stream's place is free").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> user.openStream(path).status() == 200);
        } finally {
            for (InputStream stream : open) {
                stream.close();
            }
        }
    }

    /** A stream held open (its first frame read, so the server counts it) until the caller closes it. */
    private InputStream openStream(HttpClient http, String token, String path) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(ChatClient.origin(chat)
                + path)).header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        InputStream body = response.body();
        assertThat(body.read()).as("the stream's first frame").isNotNegative();
        return body;
    }
}
