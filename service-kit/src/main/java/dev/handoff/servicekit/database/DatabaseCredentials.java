package dev.handoff.servicekit.database;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;

/**
 * The database login every service needs, with no default: each service's application.properties sets
 * {@code postgres}/{@code postgres} only in the {@code dev} and {@code test} profiles, so in production a service
 * given neither {@code QUARKUS_DATASOURCE_USERNAME} nor {@code QUARKUS_DATASOURCE_PASSWORD} refuses to start, and
 * Quarkus's configuration check names both properties before anything connects (the datasource's own settings are
 * optional and would let it try the database as nobody). Quarkus reads the values itself and nothing injects this:
 * {@code @Unremovable} keeps the mapping (and so its check), which Quarkus drops with an unused bean otherwise.
 */
@Unremovable
@ConfigMapping(prefix = "quarkus.datasource")
public interface DatabaseCredentials {

    /** The service's own database role ({@code QUARKUS_DATASOURCE_USERNAME}). */
    String username();

    /** That role's password ({@code QUARKUS_DATASOURCE_PASSWORD}); from a secret, never from a file in the repository. */
    String password();
}
