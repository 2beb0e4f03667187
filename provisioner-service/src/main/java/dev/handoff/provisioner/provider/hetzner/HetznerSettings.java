package dev.handoff.provisioner.provider.hetzner;

import dev.handoff.provisioner.config.ProvisionerConfig;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** What the Hetzner client needs to know besides the token; built from {@link ProvisionerConfig.Hetzner}. */
public record HetznerSettings(URI apiUrl, String image, List<String> locations, Duration pollInterval,
                              Duration actionTimeout, int maxRetries, Duration retryBackoff, Duration maxRetryWait,
                              Duration requestTimeout) {

    public HetznerSettings {
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("at least one Hetzner location is needed");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max-retries must not be negative");
        }
        locations = List.copyOf(locations);
    }

    public static HetznerSettings from(ProvisionerConfig.Hetzner config) {
        return new HetznerSettings(URI.create(config.apiUrl()), config.image(), config.locations(),
            config.pollInterval(), config.actionTimeout(), config.maxRetries(), config.retryBackoff(),
            config.maxRetryWait(), config.requestTimeout());
    }
}
