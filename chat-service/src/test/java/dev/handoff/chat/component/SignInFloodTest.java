package dev.handoff.chat.component;

import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of wrong-password sign-ins knocks nothing over: 60 at once for one account answer only 401, 429 or 503
 * (each 429 and 503 with Retry-After), at most the account's limit of them has its password checked, the account
 * then stays throttled even for its right password while another account signs in; the 51st attempt from one address
 * is throttled for every account; and another endpoint answers quickly all along. chat-service with its real
 * PostgreSQL ({@link RealInfrastructureResource}); X-Forwarded-For from the trusted 127.0.0.1 plays the addresses.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.SignInFlood.class)
class SignInFloodTest {

    private static final String PASSWORD = "the-right-password";

    @TestHTTPResource("/")
    URL chat;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aFloodOfWrongPasswordsIsThrottledAndEverythingElseKeepsAnswering() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String victim = "victim-" + run + "@flood.test";
        String bystander = "bystander-" + run + "@flood.test";
        assertThat(signUp(victim).statusCode()).isEqualTo(201);
        assertThat(signUp(bystander).statusCode()).isEqualTo(201);

        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong slowestOtherAnswer = new AtomicLong();
        List<Integer> otherStatuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> otherEndpoint = CompletableFuture.runAsync(() -> {
            while (flooding.get()) {
                long started = System.nanoTime();
                HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/api/auth/providers")).GET());
                slowestOtherAnswer.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                otherStatuses.add(answer.statusCode());
            }
        });

        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            flood.add(http.sendAsync(login(victim, "wrong-password-" + i, "203.0.113." + (i + 1)),
                HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = flood.stream().map(CompletableFuture::join).toList();
        flooding.set(false);
        otherEndpoint.join();

        assertThat(answers).extracting(HttpResponse::statusCode).allMatch(s -> s == 401 || s == 429 || s == 503);
        assertThat(answers).filteredOn(a -> a.statusCode() == 401).hasSizeLessThanOrEqualTo(10);
        assertThat(answers).filteredOn(a -> a.statusCode() == 429).isNotEmpty();
        assertThat(answers).filteredOn(a -> a.statusCode() != 401).allSatisfy(a ->
            assertThat(a.headers().firstValue("Retry-After")).as(a.statusCode() + " " + a.body())
                .hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 900)));
        assertThat(otherStatuses).isNotEmpty().containsOnly(200);
        assertThat(slowestOtherAnswer.get()).as("slowest answer of another endpoint, ms").isLessThan(2_000);

        HttpResponse<String> rightPasswordTooLate = send(login(victim, PASSWORD, "192.0.2.200"));
        assertThat(rightPasswordTooLate.statusCode()).as(rightPasswordTooLate.body()).isEqualTo(429);
        assertThat(rightPasswordTooLate.headers().firstValue("Retry-After")).isPresent();
        HttpResponse<String> other = send(login(bystander, PASSWORD, "192.0.2.201"));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    }

    @Test
    void theFiftyFirstAttemptFromOneAddressIsThrottledForEveryAccount() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bystander = "address-" + run + "@flood.test";
        assertThat(signUp(bystander).statusCode()).isEqualTo(201);
        String address = "198.51.100." + (1 + (int) (Math.random() * 250));

        for (int i = 0; i < 50; i++) {
            HttpResponse<String> answer = send(login("nobody-" + run + "-" + i + "@flood.test", "wrong-password",
                address));
            assertThat(answer.statusCode()).as("attempt " + (i + 1) + ": " + answer.body()).isEqualTo(401);
        }
        HttpResponse<String> throttled = send(login(bystander, PASSWORD, address));
        assertThat(throttled.statusCode()).as(throttled.body()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();

        HttpResponse<String> elsewhere = send(login(bystander, PASSWORD, "192.0.2." + (1 + (int) (Math.random() * 250))));
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(200);
    }

    private HttpResponse<String> signUp(String email) {
        return send(HttpRequest.newBuilder(uri("/api/auth/signup")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"Flood\"}")));
    }

    private HttpRequest login(String email, String password, String clientAddress) {
        return HttpRequest.newBuilder(uri("/api/auth/login")).header("Content-Type", "application/json")
            .header("X-Forwarded-For", clientAddress).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password
                + "\"}")).build();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request.timeout(Duration.ofSeconds(30)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        }
    }

    private URI uri(String path) {
        return URI.create(chat.toString().replaceAll("/$", "") + path);
    }
}
