package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.HandoffStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts and sign-in on the real chat-service: sign-up and password sign-in give an HttpOnly SameSite=Strict
 * session cookie, the cookie works only with the CSRF header on state changes, personal API tokens work as bearer
 * tokens until revoked, sign-out ends the session on the server, and the bootstrap operator from config exists.
 */
@ExtendWith(SharedStack.class)
class SignInEndToEndTest {

    private final HandoffStack stack = SharedStack.get().stack();
    private final String url = stack.chatUrl();
    private final String email = "someone-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    private final String password = "a long enough password";

    @Test
    void noCredentialIsAnswered401WithAJsonError() {
        HandoffApi nobody = HandoffApi.anonymous(url);

        HandoffApi.Answer me = nobody.get("/api/me");
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.body().path("status").asInt()).isEqualTo(401);
        assertThat(me.body().path("message").asText()).contains("sign in");
        assertThat(nobody.post("/api/projects", "{\"name\":\"x\",\"repositoryUrl\":\"https://h/x.git\"}").status())
            .isEqualTo(401);
        assertThat(HandoffApi.withToken(url, "hnd_not-a-token").get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void aBrowserSignsUpSignsInUsesItsCookieWithTheCsrfHeaderAndSignsOut() {
        HandoffApi browser = HandoffApi.browser(url);

        HandoffApi.Answer signedUp = browser.post("/api/auth/signup", "{\"email\":\"" + email.toUpperCase()
            + "\",\"password\":\"" + password + "\",\"name\":\"Some One\"}");
        assertThat(signedUp.status()).as(signedUp.toString()).isEqualTo(201);
        assertThat(signedUp.body().path("user").path("email").asText()).isEqualTo(email);
        assertThat(signedUp.body().path("user").path("operator").asBoolean()).isFalse();
        assertThat(signedUp.body().toString()).doesNotContain(password).doesNotContain("argon2");
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
        HandoffApi.Answer withoutHeader = browser.request("POST", "/api/projects", project,
            Map.of("X-Handoff-Client", ""));
        assertThat(withoutHeader.status()).isEqualTo(403);
        assertThat(withoutHeader.body().path("field").asText()).isEqualTo("X-Handoff-Client");
        assertThat(browser.request("GET", "/api/me", null, Map.of("X-Handoff-Client", "")).status()).isEqualTo(200);
        assertThat(browser.post("/api/projects", project).status()).isEqualTo(201);

        // Sign out ends the session on the server: the old cookie value no longer signs anyone in.
        String sessionValue = cookie.substring("handoff_session=".length(), cookie.indexOf(';'));
        assertThat(browser.post("/api/auth/logout", "").status()).isEqualTo(204);
        assertThat(browser.get("/api/me").status()).isEqualTo(401);
        assertThat(HandoffApi.anonymous(url).request("GET", "/api/me", null,
            Map.of("Cookie", "handoff_session=" + sessionValue)).status()).isEqualTo(401);

        // Password sign-in: a wrong password is 401, the right one a new session.
        assertThat(browser.post("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"wrong password\"}")
            .status()).isEqualTo(401);
        assertThat(browser.post("/api/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"" + password
            + "\"}").status()).isEqualTo(401);
        HandoffApi.Answer signedIn = browser.post("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\""
            + password + "\"}");
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.body().path("user").path("email").asText()).isEqualTo(email);
        assertThat(browser.get("/api/me").body().path("email").asText()).isEqualTo(email);
    }

    @Test
    void aPersonalApiTokenIsShownOnceWorksAsBearerAndStopsWhenRevoked() {
        HandoffApi user = new HandoffApi(url);

        HandoffApi.Answer created = user.post("/api/tokens", "{\"name\":\"my laptop\"}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.body().path("token").asText();
        String tokenId = created.body().path("id").asText();
        assertThat(token).startsWith("hnd_").hasSizeGreaterThan(40);
        assertThat(created.body().path("name").asText()).isEqualTo("my laptop");

        HandoffApi laptop = HandoffApi.withToken(url, token);
        assertThat(laptop.get("/api/me").body().path("email").asText()).isEqualTo(user.email());
        JsonNode listed = user.get("/api/tokens").body();
        assertThat(listed).anySatisfy(t -> {
            assertThat(t.path("id").asText()).isEqualTo(tokenId);
            assertThat(t.path("prefix").asText()).isEqualTo(token.substring(0, 8));
        });
        assertThat(listed.toString()).doesNotContain(token);
        assertThat(user.post("/api/tokens", "{\"name\":\" \"}").body().path("field").asText()).isEqualTo("name");

        // Another user cannot see or revoke it.
        HandoffApi other = new HandoffApi(url);
        assertThat(other.get("/api/tokens").body().toString()).doesNotContain(tokenId);
        assertThat(other.delete("/api/tokens/" + tokenId).status()).isEqualTo(404);

        assertThat(user.delete("/api/tokens/" + tokenId).status()).isEqualTo(204);
        assertThat(laptop.get("/api/me").status()).isEqualTo(401);
        assertThat(user.get("/api/tokens").body().toString()).doesNotContain(tokenId);
    }

    @Test
    void theBootstrapOperatorFromConfigCanSignIn() {
        HandoffApi operator = HandoffApi.signIn(url, HandoffStack.OPERATOR_EMAIL, stack.operatorPassword());

        JsonNode me = operator.get("/api/me").body();
        assertThat(me.path("email").asText()).isEqualTo(HandoffStack.OPERATOR_EMAIL);
        assertThat(me.path("operator").asBoolean()).isTrue();
    }
}
