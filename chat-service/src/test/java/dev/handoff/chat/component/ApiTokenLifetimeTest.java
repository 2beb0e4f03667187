package dev.handoff.chat.component;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A personal API token expires: {@code expiresInDays} (default 90, 1 to 365) sets {@code expiresAt}, shown when it
 * is created and listed; out of range is a 400 naming the field; an expired token is a 401 saying it expired.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class ApiTokenLifetimeTest {

    @TestHTTPResource("/")
    URL chat;

    @Inject
    Pool database;

    private final String password = "a long enough password";

    private ChatClient signedUpBrowser() {
        ChatClient browser = ChatClient.browser(chat);
        String email = "lifetime-" + UUID.randomUUID() + "@example.com";
        ChatClient.Answer signedUp = browser.post("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\""
            + password + "\",\"name\":\"Lifetime\"}");
        assertThat(signedUp.status()).as(signedUp.toString()).isEqualTo(201);
        return browser;
    }

    /** Issue 11 item 15: a leaked token cannot mint tokens that outlive its revocation. */
    @Test
    void aTokenCannotCreateTokensOnlyASignedInSessionCan() {
        ChatClient browser = signedUpBrowser();
        ChatClient.Answer created = browser.post("/api/tokens", "{\"name\":\"script\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ChatClient script = ChatClient.withToken(chat, created.body().path("token").asText());
        assertThat(script.get("/api/tokens").status()).as("the token still reads its user's tokens").isEqualTo(200);

        ChatClient.Answer minted = script.post("/api/tokens", "{\"name\":\"minted by a token\"}");
        assertThat(minted.status()).as(minted.toString()).isEqualTo(403);
        assertThat(minted.body().path("message").asText()).startsWith("an API token cannot create API tokens");
        assertThat(browser.get("/api/tokens").body()).extracting(t -> t.path("name").asText())
            .containsExactly("script");
    }

    @Test
    void aTokenExpiresAfterTheDaysAskedForOrNinetyDaysAndShowsWhen() {
        ChatClient browser = signedUpBrowser();

        ChatClient.Answer week = browser.post("/api/tokens", "{\"name\":\"a week\",\"expiresInDays\":7}");
        assertThat(week.status()).as(week.toString()).isEqualTo(201);
        Instant weekExpiry = Instant.parse(week.body().path("expiresAt").asText());
        assertThat(weekExpiry).isCloseTo(Instant.now().plus(Duration.ofDays(7)), within(Duration.ofMinutes(5)));

        ChatClient.Answer byDefault = browser.post("/api/tokens", "{\"name\":\"default\"}");
        assertThat(byDefault.status()).isEqualTo(201);
        assertThat(Instant.parse(byDefault.body().path("expiresAt").asText()))
            .isCloseTo(Instant.now().plus(Duration.ofDays(90)), within(Duration.ofMinutes(5)));

        ChatClient.Answer listed = browser.get("/api/tokens");
        assertThat(listed.body()).anySatisfy(t -> {
            assertThat(t.path("id").asText()).isEqualTo(week.body().path("id").asText());
            assertThat(Instant.parse(t.path("expiresAt").asText()))
                .isCloseTo(weekExpiry, within(Duration.ofSeconds(1)));
        });

        for (String days : new String[] {"0", "-1", "366"}) {
            ChatClient.Answer refused = browser.post("/api/tokens", "{\"name\":\"x\",\"expiresInDays\":" + days + "}");
            assertThat(refused.status()).as(days + ": " + refused).isEqualTo(400);
            assertThat(refused.body().path("field").asText()).isEqualTo("expiresInDays");
            assertThat(refused.body().path("message").asText()).contains("365");
        }
        assertThat(browser.post("/api/tokens", "{\"name\":\"a year\",\"expiresInDays\":365}").status())
            .isEqualTo(201);
    }

    @Test
    void anExpiredTokenIsRefused401SayingItExpired() {
        ChatClient browser = signedUpBrowser();
        ChatClient.Answer created = browser.post("/api/tokens", "{\"name\":\"short\",\"expiresInDays\":1}");
        assertThat(created.status()).isEqualTo(201);
        ChatClient script = ChatClient.withToken(chat, created.body().path("token").asText());
        assertThat(script.get("/api/me").status()).isEqualTo(200);

        expire(created.body().path("id").asText());

        ChatClient.Answer refused = script.get("/api/me");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().path("message").asText()).contains("expired");
    }

    @Test
    void aTokenWithoutExpiryFromBeforeExpiriesKeepsWorking() {
        ChatClient browser = signedUpBrowser();
        ChatClient.Answer created = browser.post("/api/tokens", "{\"name\":\"old\"}");
        String id = created.body().path("id").asText();
        database.preparedQuery("update api_token set expiresAt = null where id = $1").execute(Tuple.of(id))
            .await().atMost(Duration.ofSeconds(10));

        ChatClient script = ChatClient.withToken(chat, created.body().path("token").asText());
        assertThat(script.get("/api/me").status()).isEqualTo(200);
        assertThat(browser.get("/api/tokens").body()).anySatisfy(t -> {
            assertThat(t.path("id").asText()).isEqualTo(id);
            assertThat(t.path("expiresAt").isNull()).isTrue();
        });
    }

    /** Moves the token's expiry into the past, as if its days had passed. */
    private void expire(String tokenId) {
        OffsetDateTime past = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        database.preparedQuery("update api_token set expiresAt = $1 where id = $2")
            .execute(Tuple.of(past, tokenId)).await().atMost(Duration.ofSeconds(10));
    }
}
