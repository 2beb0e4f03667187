package dev.handoff.provisioner.config;

import dev.handoff.provisioner.service.AttachQuota;
import dev.handoff.provisioner.service.NodeHealthPolicy;
import dev.handoff.provisioner.service.WarmPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.Map;

/** The pool, health and price rules, built once from the configuration. */
@ApplicationScoped
public class PoolRules {

    @Produces
    @Singleton
    NodeHealthPolicy healthPolicy(ProvisionerConfig config) {
        return new NodeHealthPolicy(config.health().staleAfter(), config.health().lostAfter());
    }

    @Produces
    @Singleton
    WarmPool warmPool(ProvisionerConfig config, NodeHealthPolicy health) {
        return new WarmPool(health, config.pool().warmTime(), config.pool().maxLifetime(),
            config.pool().workspaceCap(), config.quota().maxNodesPerOwner());
    }

    @Produces
    @Singleton
    AttachQuota attachQuota(ProvisionerConfig config) {
        return new AttachQuota(config.quota().maxAttachedPerOwner(), config.quota().maxAttachTicketsPerOwner(),
            config.attachTokenTtl());
    }

    /** The price per hour of a node of {@code provider} and {@code size}; 0 when the table has none. */
    public static BigDecimal hourlyPrice(ProvisionerConfig config, String provider, String size) {
        Map<String, BigDecimal> bySize = config.cost().hourly().get(provider);
        if (bySize == null || size == null) {
            return BigDecimal.ZERO;
        }
        return bySize.getOrDefault(size, BigDecimal.ZERO);
    }
}
