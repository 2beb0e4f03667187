package dev.handoff.chat.rest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OidcFailureRouteTest {

    @Test
    void aRefusalIsLoggedWithoutTheTokenOrItsClaims() {
        String signature = "ID token verification has failed: JWT rejected due to invalid signature. Additional"
            + " details: [[9] Invalid JWS Signature: JsonWebSignature{\"alg\":\"RS256\",\"kid\":\"k\"}"
            + "->eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl]";
        String audience = "ID token verification has failed: JWT (claims->{\"aud\":\"other\",\"email\":"
            + "\"a@b.c\"}) rejected due to invalid claims or other invalid content. Additional details: [[8]"
            + " Audience (aud) claim [other] doesn't contain an acceptable identifier.]";

        assertThat(OidcFailureRoute.withoutTokens(signature)).contains("invalid signature")
            .doesNotContain("eyJ").doesNotContain("RS256");
        assertThat(OidcFailureRoute.withoutTokens(audience)).contains("Audience (aud) claim [other]")
            .doesNotContain("a@b.c");
        assertThat(OidcFailureRoute.withoutTokens(null)).isEqualTo("(no reason given)");
    }
}
