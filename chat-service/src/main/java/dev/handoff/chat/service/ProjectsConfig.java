package dev.handoff.chat.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Rules for the projects users create. */
@ConfigMapping(prefix = "handoff.projects")
public interface ProjectsConfig {

    /**
     * Accept {@code file://} repository URLs. Only for a single-user Handoff on one machine (local development,
     * tests): a node would clone whatever path the user names from its own disk.
     */
    @WithDefault("false")
    boolean allowFileUrls();
}
