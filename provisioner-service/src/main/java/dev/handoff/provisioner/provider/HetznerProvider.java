package dev.handoff.provisioner.provider;

import dev.handoff.provisioner.Owners;
import dev.handoff.provisioner.client.UserCloudTokens;
import dev.handoff.provisioner.config.ProvisionerConfig;
import dev.handoff.provisioner.provider.hetzner.HetznerClient;
import dev.handoff.provisioner.provider.hetzner.HetznerNodes;
import dev.handoff.provisioner.provider.hetzner.HetznerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code hetzner} provider: {@link HetznerNodes} for an owner, with the Hetzner API token that owner's nodes are
 * made with: the user's own ({@code hetzner_token} in their settings, read from the secrets store), else the
 * installation's {@code handoff.provisioner.hetzner.token}. Blocking (the user's token is fetched over HTTP): call
 * off the event loop.
 */
@ApplicationScoped
public class HetznerProvider {

    public static final String NAME = "hetzner";

    @Inject
    ProvisionerConfig config;

    @Inject
    UserCloudTokens userTokens;

    private final Map<String, HetznerNodes> byToken = new ConcurrentHashMap<>();

    /** The Hetzner API token for {@code ownerId}'s nodes, if one is set. */
    public Optional<String> tokenFor(String ownerId) {
        Optional<String> own = Owners.LOCAL.equals(ownerId) ? Optional.empty() : userTokens.hetznerToken(ownerId);
        return own.isPresent() ? own : config.hetzner().token().filter(token -> !token.isBlank());
    }

    /** Why nodes cannot be made for {@code ownerId} now, or empty when they can. Blocking. */
    public Optional<String> unavailableReason(String ownerId) {
        if (tokenFor(ownerId).isEmpty()) {
            return Optional.of("no Hetzner Cloud API token: store yours in Settings (hetzner_token), or the operator "
                + "sets handoff.provisioner.hetzner.token");
        }
        return configurationProblem();
    }

    /** What the installation's configuration lacks for Hetzner nodes, whoever asks; not blocking. */
    public Optional<String> configurationProblem() {
        if (config.hetzner().controlPlaneUrl().isEmpty() || config.hetzner().gatewayUrl().isEmpty()) {
            return Optional.of("the Hetzner provider needs handoff.provisioner.hetzner.control-plane-url and "
                + "gateway-url (the gateway's public addresses)");
        }
        return Optional.empty();
    }

    /** The owner's Hetzner nodes; throws when {@link #unavailableReason} is not empty. */
    public HetznerNodes forOwner(String ownerId) {
        String token = tokenFor(ownerId).orElseThrow(() -> new IllegalStateException(
            unavailableReason(ownerId).orElse("no Hetzner token")));
        return byToken.computeIfAbsent(token, t -> new HetznerNodes(
            new HetznerClient(HetznerSettings.from(config.hetzner()), t),
            URI.create(config.hetzner().controlPlaneUrl().orElseThrow()),
            URI.create(config.hetzner().gatewayUrl().orElseThrow())));
    }
}
