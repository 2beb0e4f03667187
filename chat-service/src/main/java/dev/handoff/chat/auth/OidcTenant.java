package dev.handoff.chat.auth;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The one OIDC tenant quarkus-oidc runs, built from {@code handoff.auth.oidc.*} ({@link AuthConfig.Oidc}) and used
 * only on {@link #CALLBACK}: the authorization code flow with PKCE, state and nonce, the ID token checked against
 * the provider's JWKS (signature, issuer, audience = client id, expiry, nonce). Every other path gets no tenant, and
 * the default tenant is disabled ({@code quarkus.oidc.tenant-enabled=false}), so the rest of the API never sees
 * OIDC. Off (no tenant at all) when no issuer is configured.
 */
@ApplicationScoped
public class OidcTenant implements TenantConfigResolver {

    public static final String TENANT_ID = "handoff";
    /** Where the browser starts: redirects to {@link #CALLBACK}, or to the sign-in page when OIDC is off. */
    public static final String LOGIN = "/auth/oidc/login";
    /** The redirect URI registered at the provider; quarkus-oidc runs the code flow here. */
    public static final String CALLBACK = "/auth/oidc/callback";
    /** Where quarkus-oidc sends the browser when the provider answers with an error (the user denied). */
    public static final String ERROR = "/auth/oidc/error";

    private static final Logger LOG = Logger.getLogger(OidcTenant.class);

    @Inject
    AuthConfig config;

    private volatile OidcTenantConfig tenant;

    /** Whether an issuer is configured. */
    public boolean enabled() {
        return config.oidc().issuerUrl().filter(url -> !url.isBlank()).isPresent();
    }

    public String displayName() {
        return config.oidc().displayName();
    }

    /** A missing client id or secret stops the start, not the first sign-in; the provider is asked only then. */
    void checkAtStartup(@Observes StartupEvent event) {
        if (enabled()) {
            tenant();
            LOG.infof("OIDC sign-in is on: issuer %s, client %s", config.oidc().issuerUrl().get(),
                config.oidc().clientId().get());
        }
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext routingContext,
                                         OidcRequestContext<OidcTenantConfig> requestContext) {
        if (!enabled() || !CALLBACK.equals(routingContext.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(tenant());
    }

    private OidcTenantConfig tenant() {
        OidcTenantConfig built = tenant;
        if (built == null) {
            built = build(config.oidc());
            tenant = built;
        }
        return built;
    }

    static OidcTenantConfig build(AuthConfig.Oidc oidc) {
        String clientId = oidc.clientId().filter(id -> !id.isBlank()).orElseThrow(() -> new IllegalStateException(
            "handoff.auth.oidc.client-id is required with handoff.auth.oidc.issuer-url"));
        String secret = oidc.clientSecret().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
            "handoff.auth.oidc.client-secret (HANDOFF_AUTH_OIDC_CLIENT_SECRET) is required with the issuer"));
        return OidcTenantConfig.authServerUrl(oidc.issuerUrl().orElseThrow())
            .tenantId(TENANT_ID)
            .applicationType(ApplicationType.WEB_APP)
            .clientId(clientId)
            .credentials(secret)
            .authentication()
                .redirectPath(CALLBACK)
                .restorePathAfterRedirect(false)
                .removeRedirectParameters(true)
                .errorPath(ERROR)
                // One state cookie per browser: an answer whose state does not match it is refused (not restarted).
                .allowMultipleCodeFlows(false)
                .failOnMissingStateParam(true)
                .scopes(oidc.scopes())
                .pkceRequired()
                .nonceRequired()
                .idTokenRequired()
                // State cookies of every instance decrypt alike: the key comes from the client secret, not chance.
                .stateSecret(OpaqueSecrets.sha256("handoff-oidc-state:" + secret))
            .end()
            .build();
    }
}
