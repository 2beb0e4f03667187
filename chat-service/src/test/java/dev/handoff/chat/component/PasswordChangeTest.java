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
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing one's password ({@code POST /api/auth/password}, issue 11 item 15): the current password is checked
 * (403 naming {@code currentPassword} when wrong, throttled like sign-in), the new one follows sign-up's rule (400
 * naming {@code newPassword}); on success the caller's own browser session goes on and every other browser session
 * of the account ends, while the account's personal API tokens keep working (docs/security.md says why).
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class PasswordChangeTest {

    @TestHTTPResource("/")
    URL chat;

    @Inject
    Pool database;

    private final String email = "password-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    private final String oldPassword = "the first long password";
    private final String newPassword = "the second long password";

    private ChatClient signedUp() {
        ChatClient browser = ChatClient.browser(chat);
        ChatClient.Answer answer = browser.post("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\""
            + oldPassword + "\",\"name\":\"Password\"}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return browser;
    }

    private ChatClient signedIn(String password) {
        ChatClient browser = ChatClient.browser(chat);
        ChatClient.Answer answer = browser.post("/api/auth/login", login(password));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return browser;
    }

    private String login(String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    private static String change(String current, String next) {
        return "{\"currentPassword\":\"" + current + "\",\"newPassword\":\"" + next + "\"}";
    }

    @Test
    void aPasswordChangeEndsTheAccountsOtherBrowserSessionsKeepsThisOneAndItsApiTokens() {
        ChatClient laptop = signedUp();
        ChatClient phone = signedIn(oldPassword);
        ChatClient.Answer created = laptop.post("/api/tokens", "{\"name\":\"cli\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ChatClient cli = ChatClient.withToken(chat, created.body().path("token").asText());
        ChatClient someoneElse = ChatClient.browser(chat);
        assertThat(someoneElse.post("/api/auth/signup", "{\"email\":\"bystander-" + UUID.randomUUID()
            + "@example.com\",\"password\":\"" + oldPassword + "\"}").status()).isEqualTo(201);

        ChatClient.Answer changed = laptop.post("/api/auth/password", change(oldPassword, newPassword));

        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        assertThat(laptop.get("/api/me").status()).as("the caller's own session goes on").isEqualTo(200);
        ChatClient.Answer ended = phone.get("/api/me");
        assertThat(ended.status()).as("the account's other browser session ended").isEqualTo(401);
        assertThat(ended.body().path("message").asText()).contains("session ended");
        assertThat(cli.get("/api/me").body().path("email").asText()).as("API tokens keep working").isEqualTo(email);
        assertThat(someoneElse.get("/api/me").status()).as("another account's session is untouched").isEqualTo(200);

        assertThat(ChatClient.browser(chat).post("/api/auth/login", login(oldPassword)).status())
            .as("the old password no longer signs in").isEqualTo(401);
        signedIn(newPassword);
        assertThat(changed.text()).doesNotContain(newPassword).doesNotContain(oldPassword);
    }

    @Test
    void byApiTokenEveryBrowserSessionOfTheAccountEnds() {
        ChatClient browser = signedUp();
        ChatClient.Answer created = browser.post("/api/tokens", "{\"name\":\"script\"}");
        ChatClient script = ChatClient.withToken(chat, created.body().path("token").asText());

        ChatClient.Answer changed = script.post("/api/auth/password", change(oldPassword, newPassword));

        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        assertThat(browser.get("/api/me").status()).isEqualTo(401);
        assertThat(script.get("/api/me").status()).isEqualTo(200);
        signedIn(newPassword);
    }

    @Test
    void aWrongCurrentPasswordIsRefusedNamingTheFieldAndChangesNothing() {
        ChatClient laptop = signedUp();
        ChatClient phone = signedIn(oldPassword);

        ChatClient.Answer refused = laptop.post("/api/auth/password", change("not the password", newPassword));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body().path("field").asText()).isEqualTo("currentPassword");
        assertThat(refused.body().path("message").asText()).contains("current password is wrong");
        assertThat(laptop.get("/api/me").status()).isEqualTo(200);
        assertThat(phone.get("/api/me").status()).as("no session ended").isEqualTo(200);
        signedIn(oldPassword);
        assertThat(ChatClient.browser(chat).post("/api/auth/login", login(newPassword)).status()).isEqualTo(401);
    }

    @Test
    void aNewPasswordShorterThanSignUpsRuleOrAMissingFieldIs400NamingIt() {
        ChatClient browser = signedUp();

        ChatClient.Answer tooShort = browser.post("/api/auth/password", change(oldPassword, "short"));
        assertThat(tooShort.status()).as(tooShort.toString()).isEqualTo(400);
        assertThat(tooShort.body().path("field").asText()).isEqualTo("newPassword");
        assertThat(tooShort.body().path("message").asText()).contains("at least 8 characters");

        ChatClient.Answer noNew = browser.post("/api/auth/password", "{\"currentPassword\":\"" + oldPassword + "\"}");
        assertThat(noNew.status()).as(noNew.toString()).isEqualTo(400);
        assertThat(noNew.body().path("field").asText()).isEqualTo("newPassword");

        ChatClient.Answer noCurrent = browser.post("/api/auth/password", "{\"newPassword\":\"" + newPassword + "\"}");
        assertThat(noCurrent.status()).as(noCurrent.toString()).isEqualTo(400);
        assertThat(noCurrent.body().path("field").asText()).isEqualTo("currentPassword");

        ChatClient.Answer noBody = browser.post("/api/auth/password", "");
        assertThat(noBody.status()).as(noBody.toString()).isEqualTo(400);

        signedIn(oldPassword);
    }

    @Test
    void theCsrfGuardHoldsForACookieCaller() {
        ChatClient browser = signedUp();

        ChatClient.Answer forged = browser.request("POST", "/api/auth/password", change(oldPassword, newPassword),
            Map.of("X-Handoff-Client", ""));

        assertThat(forged.status()).as(forged.toString()).isEqualTo(403);
        assertThat(forged.body().path("field").asText()).isEqualTo("X-Handoff-Client");
        signedIn(oldPassword);
    }

    /** A stolen session cannot guess the password through this endpoint faster than through sign-in. */
    @Test
    void guessingTheCurrentPasswordIsThrottledLikeSignIn() {
        ChatClient browser = signedUp();
        for (int attempt = 1; attempt <= 10; attempt++) {
            assertThat(browser.post("/api/auth/password", change("guess number " + attempt, newPassword)).status())
                .as("guess " + attempt).isEqualTo(403);
        }

        ChatClient.Answer throttled = browser.post("/api/auth/password", change(oldPassword, newPassword));

        assertThat(throttled.status()).as(throttled.toString()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(ChatClient.browser(chat).post("/api/auth/login", login(oldPassword)).status())
            .as("the account's sign-in is throttled too: the same count").isEqualTo(429);
        // This account's window, and the test client's address (its guesses count there too), start afresh.
        database.preparedQuery("delete from sign_in_attempt where subject = $1 or subject like 'address:%'")
            .execute(Tuple.of("account:" + sha256(email))).await().atMost(Duration.ofSeconds(10));
        signedIn(oldPassword);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAccountWithoutAPasswordIsToldItHasNone() {
        ChatClient browser = signedUp();
        database.preparedQuery("update user_account set passwordhash = null where email = $1")
            .execute(Tuple.of(email)).await().atMost(Duration.ofSeconds(10));

        ChatClient.Answer refused = browser.post("/api/auth/password", change(oldPassword, newPassword));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body().path("field").asText()).isEqualTo("currentPassword");
        assertThat(refused.body().path("message").asText()).contains("no password");
        assertThat(browser.get("/api/me").status()).isEqualTo(200);
    }
}
