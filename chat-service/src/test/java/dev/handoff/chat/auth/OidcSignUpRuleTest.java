package dev.handoff.chat.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who a first OIDC sign-in makes a Handoff account for (issue 11 item 14): with allowed email domains, only a
 * verified address at one of them; without, only when sign-up is open; {@code *} for anyone the provider signs in.
 */
class OidcSignUpRuleTest {

    private static OidcSignUpRule rule(boolean signupOpen, String... domains) {
        return new OidcSignUpRule(domains.length == 0 ? Optional.empty() : Optional.of(List.of(domains)), signupOpen);
    }

    @Test
    void withSignUpClosedAndNoAllowedDomainsNobodyNewGetsAnAccount() {
        Optional<String> refused = rule(false).refusal("someone@example.com", true);

        assertThat(refused).hasValueSatisfying(message -> assertThat(message).contains("no Handoff account")
            .contains("someone@example.com").contains("ask an operator"));
    }

    @Test
    void withSignUpOpenAndNoAllowedDomainsAnyoneTheProviderSignsInGetsOne() {
        assertThat(rule(true).refusal("someone@example.com", true)).isEmpty();
        assertThat(rule(true).refusal("someone@example.com", false)).isEmpty();
    }

    @Test
    void allowedDomainsAdmitOnlyVerifiedAddressesAtThemWhateverSignUpSays() {
        for (boolean signupOpen : new boolean[] {false, true}) {
            OidcSignUpRule rule = rule(signupOpen, "example.com", " @Team.Example.org ");

            assertThat(rule.refusal("someone@example.com", true)).as("listed").isEmpty();
            assertThat(rule.refusal("someone@team.example.org", true)).as("listed, written otherwise").isEmpty();
            assertThat(rule.refusal("someone@other.com", true)).as("not listed")
                .hasValueSatisfying(message -> assertThat(message).contains("other.com").contains("ask an operator"));
            assertThat(rule.refusal("someone@sub.example.com", true)).as("a subdomain is another domain").isPresent();
            assertThat(rule.refusal("someone@example.com.evil.net", true)).as("a suffix").isPresent();
            assertThat(rule.refusal("someone@example.com", false)).as("unverified")
                .hasValueSatisfying(message -> assertThat(message).contains("not verified"));
        }
    }

    @Test
    void aStarAdmitsAnyoneTheProviderSignsInEvenWithSignUpClosed() {
        assertThat(rule(false, "*").refusal("someone@anywhere.net", false)).isEmpty();
    }

    @Test
    void aMalformedDomainStopsTheStartNamingTheProperty() {
        assertThatThrownBy(() -> rule(false, "example.com", "not a domain"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("handoff.auth.oidc.allowed-email-domains").hasMessageContaining("not a domain");
        assertThatThrownBy(() -> rule(false, "someone@example.com"))
            .hasMessageContaining("handoff.auth.oidc.allowed-email-domains");
    }
}
