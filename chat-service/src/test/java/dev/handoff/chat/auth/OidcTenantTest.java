package dev.handoff.chat.auth;

import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OidcTenantTest {

    private static AuthConfig.Oidc config(String clientId, String secret) {
        return new AuthConfig.Oidc() {
            public Optional<String> issuerUrl() {
                return Optional.of("https://sso.example.com/realms/acme");
            }

            public Optional<String> clientId() {
                return Optional.ofNullable(clientId);
            }

            public Optional<String> clientSecret() {
                return Optional.ofNullable(secret);
            }

            public String displayName() {
                return "Company SSO";
            }

            public List<String> scopes() {
                return List.of("email", "profile");
            }

            public Optional<List<String>> allowedEmailDomains() {
                return Optional.empty();
            }
        };
    }

    @Test
    void theTenantRunsTheCodeFlowWithPkceNonceAndOneStateCookieOnTheCallback() {
        OidcTenantConfig tenant = OidcTenant.build(config("handoff", "a-client-secret-of-some-length"));

        assertThat(tenant.tenantId()).contains(OidcTenant.TENANT_ID);
        assertThat(tenant.applicationType()).contains(ApplicationType.WEB_APP);
        assertThat(tenant.authServerUrl()).contains("https://sso.example.com/realms/acme");
        assertThat(tenant.clientId()).contains("handoff");
        assertThat(tenant.authentication().redirectPath()).contains(OidcTenant.CALLBACK);
        assertThat(tenant.authentication().errorPath()).contains(OidcTenant.ERROR);
        assertThat(tenant.authentication().pkceRequired()).contains(true);
        assertThat(tenant.authentication().nonceRequired()).isTrue();
        assertThat(tenant.authentication().allowMultipleCodeFlows()).isFalse();
        assertThat(tenant.authentication().scopes()).contains(List.of("email", "profile"));
        // The state cookie key is derived from the secret, never the secret itself.
        assertThat(tenant.authentication().stateSecret()).isPresent().get()
            .isNotEqualTo("a-client-secret-of-some-length");
    }

    @Test
    void anIssuerWithoutClientIdOrSecretIsAConfigurationError() {
        assertThatThrownBy(() -> OidcTenant.build(config(null, "secret")))
            .hasMessageContaining("handoff.auth.oidc.client-id");
        assertThatThrownBy(() -> OidcTenant.build(config("handoff", " ")))
            .hasMessageContaining("HANDOFF_AUTH_OIDC_CLIENT_SECRET");
    }
}
