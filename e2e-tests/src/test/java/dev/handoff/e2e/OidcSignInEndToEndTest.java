package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.ApiSignIn;
import dev.handoff.localstack.FakeOidcProvider;
import dev.handoff.localstack.FakeOidcProvider.Misbehaviour;
import dev.handoff.localstack.FakeOidcProvider.User;
import dev.handoff.localstack.HandoffStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Team sign-in through an OIDC provider (the fake one in local-stack, speaking the real wire format), hop by hop
 * over HTTP as a browser does it: the provider button's endpoint, quarkus-oidc's redirect to the provider, the
 * provider's redirect back with code and state, and Handoff's session cookie. Then the refusals: a state that does
 * not match, a replayed answer, an expired code, an ID token for another audience, with a wrong signature or a
 * wrong issuer, a user who cancels, and an unverified email that an account already has: each ends on the sign-in
 * page with a message, signed out, with no account and no link created.
 */
@ExtendWith(SharedStack.class)
class OidcSignInEndToEndTest {

    private final HandoffStack stack = SharedStack.get().stack();
    private final String url = stack.chatUrl();
    private final FakeOidcProvider provider = stack.oidcProvider().orElseThrow();

    @AfterEach
    void providerBehavesAgain() {
        provider.codeLifetime(Duration.ofMinutes(1));
    }

    @Test
    void theSignInPageLearnsOfTheProviderFromAPublicEndpoint() {
        HandoffApi.Answer providers = HandoffApi.anonymous(url).get("/api/auth/providers");

        assertThat(providers.status()).isEqualTo(200);
        assertThat(providers.body().path("password").asBoolean()).isTrue();
        assertThat(providers.body().path("oidc").path("displayName").asText()).isEqualTo("Company SSO");
        assertThat(providers.body().path("oidc").path("loginUrl").asText()).isEqualTo("/auth/oidc/login");
    }

    /** The browser hops of OIDC sign-in are open to everyone; none answers no one with a session of its own. */
    @Test
    void theOpenHopsRedirectAndSignNoOneIn() {
        HandoffApi nobody = HandoffApi.anonymous(url);
        for (String path : java.util.List.of("/auth/oidc/login", "/auth/oidc/callback",
            "/auth/oidc/error?error=access_denied")) {
            HandoffApi.Answer answer = nobody.visit(path);
            assertThat(answer.status()).as(path).isIn(302, 303);
            assertThat(answer.headers().firstValue("Set-Cookie").orElse("")).as(path)
                .doesNotContain("handoff_session");
        }
    }

    @Test
    void aFirstSignInMakesAnAccountFromTheIdTokenAndTheSecondFindsItAgain() {
        User user = newUser(true);

        HandoffApi browser = HandoffApi.signInWithOidc(url, user.login());
        JsonNode me = browser.get("/api/me").body();
        assertThat(me.path("email").asText()).isEqualTo(user.email());
        assertThat(me.path("name").asText()).isEqualTo(user.name());
        assertThat(me.path("operator").asBoolean()).isFalse();
        // The code exchange authenticated the client and sent the PKCE verifier.
        assertThat(provider.tokenRequests()).last().satisfies(request -> {
            assertThat(request.status()).isEqualTo(200);
            assertThat(request.codeVerifierSent()).isTrue();
        });

        // Signed in as after a password sign-in: the CSRF header guard, API tokens, own projects.
        assertThat(browser.request("POST", "/api/tokens", "{\"name\":\"x\"}", Map.of("X-Handoff-Client", ""))
            .status()).isEqualTo(403);
        String token = browser.post("/api/tokens", "{\"name\":\"script\"}").body().path("token").asText();
        assertThat(HandoffApi.withToken(url, token).get("/api/me").body().path("id").asText())
            .isEqualTo(me.path("id").asText());
        String projectId = browser.createProject("sso-" + UUID.randomUUID(), SharedStack.get().repositoryUrl());

        HandoffApi again = HandoffApi.signInWithOidc(url, user.login());
        assertThat(again.get("/api/me").body().path("id").asText()).isEqualTo(me.path("id").asText());
        assertThat(again.get("/api/projects/" + projectId).status()).isEqualTo(200);
        assertThat(accountsWithEmail(user.email())).isEqualTo(1);
        assertThat(linksOf(user.subject())).isEqualTo(1);

        // A second person at the provider is a second account that sees none of the first one's projects.
        User colleague = newUser(true);
        HandoffApi other = HandoffApi.signInWithOidc(url, colleague.login());
        assertThat(other.get("/api/me").body().path("id").asText()).isNotEqualTo(me.path("id").asText());
        assertThat(other.get("/api/projects/" + projectId).status()).isEqualTo(404);
        assertThat(other.get("/api/projects").body().toString()).doesNotContain(projectId);

        // Sign-out ends the Handoff session.
        assertThat(browser.post("/api/auth/logout", "").status()).isEqualTo(204);
        assertThat(browser.get("/api/me").status()).isEqualTo(401);
        assertThat(again.get("/api/me").status()).isEqualTo(200);
    }

    @Test
    void aVerifiedEmailLinksTheExistingLocalAccountAnUnverifiedOneIsRefused() {
        String email = "local-" + UUID.randomUUID() + "@handoff.test";
        String password = "pw-" + UUID.randomUUID();
        ApiSignIn.signUpForToken(url, email, password, "Local user");
        String localId = HandoffApi.signIn(url, email, password).get("/api/me").body().path("id").asText();

        User unverified = addUser(email, false);
        HandoffApi refused = HandoffApi.browser(url);
        String landed = refused.finishOidcSignIn(
            refused.answerAtProvider(refused.startOidcSignIn(), unverified.login(), true), Map.of());
        assertThat(signInError(landed)).contains("already exists").contains("Sign in with your password");
        assertThat(refused.get("/api/me").status()).isEqualTo(401);
        assertThat(linksOf(unverified.subject())).isZero();

        User verified = addUser(email, true);
        HandoffApi linked = HandoffApi.signInWithOidc(url, verified.login());
        assertThat(linked.get("/api/me").body().path("id").asText()).isEqualTo(localId);
        assertThat(accountsWithEmail(email)).isEqualTo(1);
        // The password still works for the linked account.
        assertThat(HandoffApi.signIn(url, email, password).get("/api/me").status()).isEqualTo(200);
    }

    @Test
    void aStateThatDoesNotMatchTheBrowsersStateCookieSignsNoOneIn() {
        User user = newUser(true);
        HandoffApi browser = HandoffApi.browser(url);
        String callback = browser.answerAtProvider(browser.startOidcSignIn(), user.login(), true);
        String tampered = callback.replaceAll("state=[^&]+", "state=forged-" + UUID.randomUUID());

        String landed = browser.finishOidcSignIn(tampered, Map.of());

        assertRefused(browser, landed, user, "could not be completed");
    }

    @Test
    void aReplayedAnswerFromTheProviderSignsNoOneIn() {
        User user = newUser(true);
        HandoffApi browser = HandoffApi.browser(url);
        String callback = browser.answerAtProvider(browser.startOidcSignIn(), user.login(), true);
        String stateCookie = cookieHeader(browser);
        assertThat(browser.finishOidcSignIn(callback, Map.of())).isEqualTo("/#/projects");
        String accountId = browser.get("/api/me").body().path("id").asText();

        // Someone who copied the callback URL and the state cookie tries it again: the code is spent.
        HandoffApi replayer = HandoffApi.browser(url);
        String landed = replayer.finishOidcSignIn(callback, Map.of("Cookie", stateCookie));

        assertThat(signInError(landed)).contains("could not be completed");
        assertThat(replayer.get("/api/me").status()).isEqualTo(401);
        assertThat(provider.tokenRequests()).last().satisfies(r -> assertThat(r.status()).isEqualTo(400));
        assertThat(accountsWithEmail(user.email())).isEqualTo(1);
        assertThat(browser.get("/api/me").body().path("id").asText()).isEqualTo(accountId);
    }

    @Test
    void anExpiredCodeSignsNoOneIn() {
        User user = newUser(true);
        provider.codeLifetime(Duration.ZERO);
        HandoffApi browser = HandoffApi.browser(url);
        String callback = browser.answerAtProvider(browser.startOidcSignIn(), user.login(), true);

        assertRefused(browser, browser.finishOidcSignIn(callback, Map.of()), user, "could not be completed");
    }

    @Test
    void anIdTokenForAnotherAudienceSignsNoOneIn() {
        refusedWhenTheProvider(Misbehaviour.WRONG_AUDIENCE);
    }

    @Test
    void anIdTokenWithABadSignatureSignsNoOneIn() {
        refusedWhenTheProvider(Misbehaviour.FOREIGN_SIGNATURE);
    }

    @Test
    void anIdTokenFromAnotherIssuerSignsNoOneIn() {
        refusedWhenTheProvider(Misbehaviour.WRONG_ISSUER);
    }

    @Test
    void anExpiredIdTokenSignsNoOneIn() {
        refusedWhenTheProvider(Misbehaviour.EXPIRED);
    }

    @Test
    void aUserWhoCancelsAtTheProviderLandsOnTheSignInPageWithAMessage() {
        User user = newUser(true);
        HandoffApi browser = HandoffApi.browser(url);
        String callback = browser.answerAtProvider(browser.startOidcSignIn(), user.login(), false);
        assertThat(callback).contains("error=access_denied");

        assertRefused(browser, browser.finishOidcSignIn(callback, Map.of()), user,
            "Sign-in with Company SSO was cancelled.");
    }

    private void refusedWhenTheProvider(Misbehaviour how) {
        User user = newUser(true);
        HandoffApi browser = HandoffApi.browser(url);
        String callback = browser.answerAtProvider(browser.startOidcSignIn(), user.login(), true);
        provider.misbehaveOnce(how);

        assertRefused(browser, browser.finishOidcSignIn(callback, Map.of()), user, "could not be completed");
    }

    /** On the sign-in page with the message, not signed in, no account and no link for the user. */
    private void assertRefused(HandoffApi browser, String landed, User user, String message) {
        assertThat(signInError(landed)).contains(message);
        assertThat(browser.get("/api/me").status()).isEqualTo(401);
        assertThat(cookieHeader(browser)).doesNotContain("handoff_session");
        assertThat(accountsWithEmail(user.email())).isZero();
        assertThat(linksOf(user.subject())).isZero();
    }

    private static String signInError(String landed) {
        assertThat(landed).startsWith("/#/signin?error=");
        return URLDecoder.decode(landed.substring("/#/signin?error=".length()), StandardCharsets.UTF_8);
    }

    private String cookieHeader(HandoffApi browser) {
        return String.join("; ", browser.cookies());
    }

    private User newUser(boolean emailVerified) {
        return addUser("sso-" + UUID.randomUUID() + "@team.test", emailVerified);
    }

    private User addUser(String email, boolean emailVerified) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        User user = new User("user-" + id, "subject-" + UUID.randomUUID(), email, emailVerified, "Person " + id);
        provider.addUser(user);
        return user;
    }

    private long accountsWithEmail(String email) {
        return count("select count(*) from user_account where email = ?", email);
    }

    private long linksOf(String subject) {
        return count("select count(*) from oidc_link where subject = ?", subject);
    }

    private long count(String sql, String parameter) {
        try (Connection db = stack.postgres().connect("chat"); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
