package dev.handoff.chat.rest;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OidcSignInPageTest {

    @Test
    void theProvidersErrorAnswerBecomesAReadableMessage() {
        assertThat(OidcSignInPage.providerError("Company SSO", "access_denied", Optional.of("whatever")))
            .isEqualTo("Sign-in with Company SSO was cancelled.");
        assertThat(OidcSignInPage.providerError("Company SSO", "login_required", Optional.empty()))
            .isEqualTo("Sign-in with Company SSO failed (login_required).");
        assertThat(OidcSignInPage.providerError("Company SSO", "<script>", Optional.of(" too many tries ")))
            .isEqualTo("Sign-in with Company SSO failed: too many tries");
    }

    @Test
    void theMessageTravelsEncodedInTheSignInPagesHash() {
        assertThat(OidcSignInPage.location("Sign-in with X was cancelled & more"))
            .isEqualTo("/#/signin?error=Sign-in%20with%20X%20was%20cancelled%20%26%20more");
    }
}
