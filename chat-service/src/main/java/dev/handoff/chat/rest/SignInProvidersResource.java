package dev.handoff.chat.rest;

import dev.handoff.chat.auth.OidcTenant;
import dev.handoff.chat.auth.Public;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** How one can sign in here, so the sign-in page shows a provider button only when OIDC is configured. */
@Path("/api/auth/providers")
@Produces(MediaType.APPLICATION_JSON)
public class SignInProvidersResource {

    /** The OIDC provider's button: its label and where it starts the sign-in. */
    public record OidcProvider(String displayName, String loginUrl) {
    }

    /** {@code password} is always on; {@code oidc} is null unless an issuer is configured. */
    public record SignInProviders(boolean password, OidcProvider oidc) {
    }

    @Inject
    OidcTenant tenant;

    @GET
    @Public
    public SignInProviders providers() {
        return new SignInProviders(true,
            tenant.enabled() ? new OidcProvider(tenant.displayName(), OidcTenant.LOGIN) : null);
    }
}
