package dev.handoff.chat.component;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.ApiSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in to chat-service: no credential is a 401 with a JSON error; a browser signs up, uses its session
 * cookie with the CSRF header, signs out and in again with its password; a personal API token is shown once, works
 * as a bearer token and stops when revoked; the bootstrap operator from configuration signs in. The path through
 * every process (the web page's sign-in, the CLI's login) is proven end to end by WebChatBrowserTest and
 * CliEndToEndTest.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class SignInTest {

    @TestHTTPResource("/")
    URL chat;

    private final String email = "someone-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    private final String password = "a long enough password";

    @Test
    void noCredentialIsAnswered401WithAJsonError() {
        ChatClient nobody = ChatClient.anonymous(chat);

        ChatClient.Answer me = nobody.get("/api/me");
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.body().path("status").asInt()).isEqualTo(401);
        assertThat(me.body().path("message").asText()).contains("sign in");
        assertThat(nobody.post("/api/projects", "{\"name\":\"x\",\"repositoryUrl\":\"https://h/x.git\"}").status())
            .isEqualTo(401);
        assertThat(ChatClient.withToken(chat, "hnd_not-a-token").get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void aBrowserSignsUpSignsInUsesItsCookieWithTheCsrfHeaderAndSignsOut() {
        ChatClient browser = ChatClient.browser(chat);

        ChatClient.Answer signedUp = browser.post("/api/auth/signup", "{\"email\":\"" + email.toUpperCase()
            + "\",\"password\":\"" + password + "\",\"name\":\"Some One\"}");
        assertThat(signedUp.status()).as(signedUp.toString()).isEqualTo(201);
        assertThat(signedUp.body().path("user").path("email").asText()).isEqualTo(email);
        assertThat(signedUp.body().path("user").path("operator").asBoolean()).isFalse();
        assertThat(signedUp.text()).doesNotContain(password).doesNotContain("argon2");
        String cookie = signedUp.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("handoff_session=").contains("HttpOnly").contains("SameSite=Strict")
            .contains("Path=/");

        JsonNode me = browser.get("/api/me").body();
        assertThat(me.path("email").asText()).isEqualTo(email);
        assertThat(me.path("name").asText()).isEqualTo("Some One");

        assertThat(browser.post("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + password
            + "\"}").status()).as("the email is taken").isEqualTo(409);

        // CSRF guard: a cookie-authenticated state change without the header is refused; reads need none.
        String project = "{\"name\":\"csrf\",\"repositoryUrl\":\"https://example.com/a/b.git\"}";
        ChatClient.Answer withoutHeader = browser.request("POST", "/api/projects", project,
            Map.of("X-Handoff-Client", ""));
        assertThat(withoutHeader.status()).isEqualTo(403);
        assertThat(withoutHeader.body().path("field").asText()).isEqualTo("X-Handoff-Client");
        assertThat(browser.request("GET", "/api/me", null, Map.of("X-Handoff-Client", "")).status()).isEqualTo(200);
        assertThat(browser.post("/api/projects", project).status()).isEqualTo(201);

        // Sign out ends the session on the server: the old cookie value no longer signs anyone in.
        String sessionValue = cookie.substring("handoff_session=".length(), cookie.indexOf(';'));
        assertThat(browser.post("/api/auth/logout", "").status()).isEqualTo(204);
        assertThat(browser.get("/api/me").status()).isEqualTo(401);
        assertThat(ChatClient.anonymous(chat).request("GET", "/api/me", null,
            Map.of("Cookie", "handoff_session=" + sessionValue)).status()).isEqualTo(401);

        // Password sign-in: a wrong password is 401, the right one a new session.
        assertThat(browser.post("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"wrong password\"}")
            .status()).isEqualTo(401);
        assertThat(browser.post("/api/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"" + password
            + "\"}").status()).isEqualTo(401);
        ChatClient.Answer signedIn = browser.post("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\""
            + password + "\"}");
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.body().path("user").path("email").asText()).isEqualTo(email);
        assertThat(browser.get("/api/me").body().path("email").asText()).isEqualTo(email);
    }

    @Test
    void aPersonalApiTokenIsShownOnceWorksAsBearerAndStopsWhenRevoked() {
        // Tokens are made from a signed-in session (a token cannot make tokens: ApiTokenLifetimeTest).
        String userEmail = "tokens-" + UUID.randomUUID() + "@example.com";
        ChatClient user = ChatClient.browser(chat);
        assertThat(user.post("/api/auth/signup", "{\"email\":\"" + userEmail + "\",\"password\":\"" + password
            + "\",\"name\":\"Tokens\"}").status()).isEqualTo(201);

        ChatClient.Answer created = user.post("/api/tokens", "{\"name\":\"my laptop\"}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.body().path("token").asText();
        String tokenId = created.body().path("id").asText();
        assertThat(token).startsWith("hnd_").hasSizeGreaterThan(40);
        assertThat(created.body().path("name").asText()).isEqualTo("my laptop");

        ChatClient laptop = ChatClient.withToken(chat, token);
        assertThat(laptop.get("/api/me").body().path("email").asText()).isEqualTo(userEmail);
        ChatClient.Answer listed = user.get("/api/tokens");
        assertThat(listed.body()).anySatisfy(t -> {
            assertThat(t.path("id").asText()).isEqualTo(tokenId);
            assertThat(t.path("prefix").asText()).isEqualTo(token.substring(0, 8));
        });
        assertThat(listed.text()).doesNotContain(token);
        assertThat(user.post("/api/tokens", "{\"name\":\" \"}").body().path("field").asText()).isEqualTo("name");

        // Another user cannot see or revoke it.
        ChatClient other = ChatClient.withToken(chat, ApiSignIn.signUpForToken(base(),
            "other-" + UUID.randomUUID() + "@example.com", password, "Other"));
        assertThat(other.get("/api/tokens").text()).doesNotContain(tokenId);
        assertThat(other.delete("/api/tokens/" + tokenId).status()).isEqualTo(404);

        assertThat(user.delete("/api/tokens/" + tokenId).status()).isEqualTo(204);
        assertThat(laptop.get("/api/me").status()).isEqualTo(401);
        assertThat(user.get("/api/tokens").text()).doesNotContain(tokenId);
    }

    @Test
    void theBootstrapOperatorFromConfigCanSignIn() {
        ChatClient operator = ChatClient.withToken(chat, ApiSignIn.apiToken(base(), ComponentProfiles.OPERATOR_EMAIL,
            ComponentProfiles.OPERATOR_PASSWORD));

        JsonNode me = operator.get("/api/me").body();
        assertThat(me.path("email").asText()).isEqualTo(ComponentProfiles.OPERATOR_EMAIL);
        assertThat(me.path("operator").asBoolean()).isTrue();
    }

    private String base() {
        String url = chat.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
