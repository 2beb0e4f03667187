package dev.handoff.chat.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Accounts, browser sessions and the first operator. */
@ConfigMapping(prefix = "handoff.auth")
public interface AuthConfig {

    /** Anyone who can reach the API may create an account ({@code POST /api/auth/signup}). */
    @WithDefault("false")
    boolean signupOpen();

    /** How long a browser session lasts after sign-in. */
    @WithDefault("14d")
    Duration sessionTtl();

    /** Send the session cookie with {@code Secure} (only over HTTPS); on for any deployment behind TLS. */
    @WithDefault("false")
    boolean secureCookie();

    /** The operator account created at startup when no account has its email. */
    Bootstrap bootstrap();

    /** Argon2id cost for new password hashes; stored with each hash, so raising it keeps old hashes valid. */
    Argon2 argon2();

    interface Bootstrap {
        /** The operator's email; no account is created without it. */
        Optional<String> email();

        /** The operator's password; required with the email. */
        Optional<String> password();

        @WithDefault("Operator")
        String name();
    }

    interface Argon2 {
        /** Memory in KiB (OWASP's minimum for Argon2id: 19 MiB). */
        @WithDefault("19456")
        int memoryKib();

        @WithDefault("2")
        int iterations();

        @WithDefault("1")
        int parallelism();
    }
}
