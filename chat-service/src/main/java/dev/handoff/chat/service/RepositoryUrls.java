package dev.handoff.chat.service;

import dev.handoff.chat.rest.ApiException;
import dev.handoff.contracts.net.Cidr;
import dev.handoff.contracts.net.RepositoryUrlPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.UnknownHostException;
import java.util.List;

/**
 * Checks a repository URL against the installation's {@link RepositoryUrlPolicy} when a project names it and again
 * when a task is submitted for it: 400 naming the field when its scheme is not allowed or its host resolves into a
 * network the operator did not allow. A host that does not resolve here passes (the node resolves it again, and
 * refuses what it may not reach); the lookup runs off the event loop.
 */
@ApplicationScoped
public class RepositoryUrls {

    private static final Logger LOG = Logger.getLogger(RepositoryUrls.class);

    @Inject
    ProjectsConfig config;

    @Inject
    Vertx vertx;

    private RepositoryUrlPolicy policy;

    /** Fails startup on an entry of handoff.projects.allowed-networks that is not a network. */
    @PostConstruct
    void init() {
        try {
            policy = RepositoryUrlPolicy.of(config.allowedNetworks().orElse(List.of()), config.allowHttp(),
                config.allowSsh(), config.allowFileUrls());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("handoff.projects." + e.getMessage(), e);
        }
        LOG.infof("repository URLs: %s", policy);
    }

    /** Completes when {@code url} may be cloned; fails with a 400 naming {@code field} otherwise. */
    public Uni<Void> requireAllowed(String field, String url) {
        try {
            var target = policy.target(url);
            if (target.isFile() || Cidr.literal(target.host()) != null) {
                check(field, url);
                return Uni.createFrom().voidItem();
            }
        } catch (RepositoryUrlPolicy.RefusedException e) {
            throw ApiException.invalid(field, field + " " + e.getMessage());
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            check(field, url);
            return null;
        }), false).replaceWithVoid();
    }

    private void check(String field, String url) {
        try {
            policy.check(url, RepositoryUrlPolicy.DNS);
        } catch (RepositoryUrlPolicy.RefusedException e) {
            throw ApiException.invalid(field, field + " " + e.getMessage());
        } catch (UnknownHostException e) {
            LOG.debugf("repository host of %s does not resolve here; the node checks it again", url);
        }
    }
}
