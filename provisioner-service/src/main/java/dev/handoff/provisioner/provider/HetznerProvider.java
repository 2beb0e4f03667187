package dev.handoff.provisioner.provider;

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
 * made with. {@link #tokenFor} is the one seam for per-user tokens (the secrets store); today every owner uses
 * {@code handoff.provisioner.hetzner.token}.
 */
@ApplicationScoped
public class HetznerProvider {

    public static final String NAME = "hetzner";

    @Inject
    ProvisionerConfig config;

    private final Map<String, HetznerNodes> byToken = new ConcurrentHashMap<>();

    /** The Hetzner API token for {@code ownerId}'s nodes, if one is set. */
    public Optional<String> tokenFor(String ownerId) {
        return config.hetzner().token().filter(token -> !token.isBlank());
    }

    /** Why nodes cannot be made for {@code ownerId} now, or empty when they can. */
    public Optional<String> unavailableReason(String ownerId) {
        if (tokenFor(ownerId).isEmpty()) {
            return Optional.of("no Hetzner Cloud API token is set (handoff.provisioner.hetzner.token)");
        }
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
