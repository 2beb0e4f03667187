package dev.handoff.chat.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Rules for the projects users create. */
@ConfigMapping(prefix = "handoff.projects")
public interface ProjectsConfig {

    /**
     * Accept {@code file://} repository URLs. Only for a single-user Handoff on one machine (local development,
     * tests): a node would clone whatever path the user names from its own disk.
     */
    @WithDefault("false")
    boolean allowFileUrls();

    /**
     * Networks (CIDR, e.g. {@code 10.20.0.0/16}, or single addresses) a repository URL's host may resolve into
     * besides public addresses. Empty by default: loopback, link-local, cloud metadata and private addresses are
     * refused (contracts {@code RepositoryUrlPolicy}). The nodes apply their own list
     * ({@code HANDOFF_REPOSITORY_ALLOWED_NETWORKS}).
     */
    Optional<List<String>> allowedNetworks();

    /** Accept plain {@code http://} and {@code git://} repository URLs (no TLS: anyone on the path can change code). */
    @WithDefault("false")
    boolean allowHttp();

    /** Accept ssh repository URLs ({@code ssh://} and {@code git@host:path}). */
    @WithDefault("true")
    boolean allowSsh();
}
