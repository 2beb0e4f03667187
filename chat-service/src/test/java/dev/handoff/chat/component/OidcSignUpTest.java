package dev.handoff.chat.component;

import dev.handoff.chat.auth.AuthenticatedUser;
import dev.handoff.chat.auth.OidcAccounts;
import dev.handoff.chat.auth.OidcAccounts.OidcIdentity;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A first OIDC sign-in makes an account only for a verified address at an allowed domain
 * ({@code handoff.auth.oidc.allowed-email-domains}, issue 11 item 14), on the real database: what the callback
 * ({@code OidcResource.callback}) does once the provider's ID token is verified. A refused sign-in leaves no account
 * and no link; an account that exists signs in whatever its domain. The browser's way through the provider is
 * e2e OidcSignInEndToEndTest (sign-up open there, so any address).
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class OidcSignUpTest {

    private static final String ISSUER = "https://sso.component.test/realms/team";

    @TestHTTPResource("/")
    URL chat;

    @Inject
    OidcAccounts accounts;

    @Inject
    Pool database;

    private final String marker = UUID.randomUUID().toString().substring(0, 8);

    private AuthenticatedUser signIn(OidcIdentity identity) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> accounts.accountFor(identity));
    }

    private static OidcIdentity identity(String email, boolean verified) {
        return new OidcIdentity(ISSUER, "subject-" + UUID.randomUUID(), email, verified, "Someone");
    }

    private long rows(String sql, String value) {
        return database.preparedQuery(sql).execute(Tuple.of(value)).await().atMost(Duration.ofSeconds(10))
            .iterator().next().getLong(0);
    }

    private long accountsWith(String email) {
        return rows("select count(*) from user_account where email = $1", email);
    }

    @Test
    void aVerifiedAddressAtAnAllowedDomainGetsAnAccountAndSignsInToItAgain() throws Throwable {
        String email = "member-" + marker + "@" + ComponentProfiles.OIDC_ALLOWED_DOMAIN;
        OidcIdentity identity = identity(email, true);

        AuthenticatedUser first = signIn(identity);
        AuthenticatedUser again = signIn(identity);

        assertThat(first.email()).isEqualTo(email);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(accountsWith(email)).isEqualTo(1);
    }

    @Test
    void anAddressAtAnotherDomainGetsNoAccountEvenWithSignUpOpen() {
        String email = "outsider-" + marker + "@elsewhere.example";
        OidcIdentity identity = identity(email, true);

        assertThatThrownBy(() -> signIn(identity)).isInstanceOf(OidcAccounts.SignInRefused.class)
            .hasMessageContaining("elsewhere.example").hasMessageContaining("ask an operator");
        assertThat(accountsWith(email)).isZero();
        assertThat(rows("select count(*) from oidc_link where subject = $1", identity.subject())).isZero();
    }

    @Test
    void anUnverifiedAddressAtAnAllowedDomainGetsNoAccount() {
        String email = "unverified-" + marker + "@" + ComponentProfiles.OIDC_ALLOWED_DOMAIN;

        assertThatThrownBy(() -> signIn(identity(email, false))).isInstanceOf(OidcAccounts.SignInRefused.class)
            .hasMessageContaining("not verified");
        assertThat(accountsWith(email)).isZero();
    }

    /** Account pre-claim: whoever made the account through the provider is not joined by a second identity. */
    @Test
    void aVerifiedAddressWhoseAccountIsLinkedToAnotherIdentityIsNotLinkedToIt() throws Throwable {
        String email = "claimed-" + marker + "@" + ComponentProfiles.OIDC_ALLOWED_DOMAIN;
        OidcIdentity first = identity(email, true);
        String accountId = signIn(first).id();
        OidcIdentity second = identity(email, true);

        assertThatThrownBy(() -> signIn(second)).isInstanceOf(OidcAccounts.SignInRefused.class)
            .hasMessageContaining("as another user");
        assertThat(rows("select count(*) from oidc_link where subject = $1", second.subject())).isZero();
        assertThat(signIn(first).id()).isEqualTo(accountId);
    }

    @Test
    void anAccountThatExistsSignsInWhateverItsDomain() throws Throwable {
        String email = "existing-" + marker + "@elsewhere.example";
        ChatClient browser = ChatClient.browser(chat);
        assertThat(browser.post("/api/auth/signup", "{\"email\":\"" + email
            + "\",\"password\":\"a long enough password\"}").status()).isEqualTo(201);
        String id = browser.get("/api/me").body().path("id").asText();

        AuthenticatedUser linked = signIn(identity(email, true));

        assertThat(linked.id()).isEqualTo(id);
    }
}
