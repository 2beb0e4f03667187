package dev.handoff.chat.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Accounts, browser sessions, the first operator and team sign-in through an OpenID Connect provider. */
@ConfigMapping(prefix = "handoff.auth")
public interface AuthConfig {

    /** Anyone who can reach the API may create an account ({@code POST /api/auth/signup}). */
    @WithDefault("false")
    boolean signupOpen();

    /** How long a browser session lasts after sign-in. */
    @WithDefault("14d")
    Duration sessionTtl();

    /**
     * Send the session cookie with {@code Secure} (only over HTTPS). Unset: {@code Secure} unless the request names
     * this machine ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}), so any deployment reached by its name
     * needs TLS for browser sign-in while {@code bin/handoff-local} works on plain http; set to override either way.
     */
    Optional<Boolean> secureCookie();

    /** The operator account created at startup when no account has its email. */
    Bootstrap bootstrap();

    /** Argon2id cost for new password hashes; stored with each hash, so raising it keeps old hashes valid. */
    Argon2 argon2();

    /** Personal API tokens' lifetime. */
    Tokens tokens();

    interface Tokens {
        /** Days a new API token works when the request names none. */
        @WithDefault("90")
        int defaultExpiresInDays();

        /** The most days a new API token may work. */
        @WithDefault("365")
        int maxExpiresInDays();
    }

    /** Team sign-in through an OpenID Connect provider (authorization code flow); off unless the issuer is set. */
    Oidc oidc();

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

    interface Oidc {
        /**
         * The provider's issuer URL ({@code <issuer>/.well-known/openid-configuration} is read from it); without it
         * OIDC sign-in is off and the sign-in page shows no provider button.
         */
        Optional<String> issuerUrl();

        /** Handoff's client id at the provider; required with the issuer. */
        Optional<String> clientId();

        /**
         * Handoff's client secret at the provider: set it only from the environment or a secret config source
         * ({@code HANDOFF_AUTH_OIDC_CLIENT_SECRET}), never in a file in the repository; never logged.
         */
        Optional<String> clientSecret();

        /** What the sign-in button says after "Sign in with", e.g. "Company SSO". */
        @WithDefault("single sign-on")
        String displayName();

        /** Scopes asked for besides {@code openid}; the account is made from the ID token's email and name. */
        @WithDefault("email,profile")
        List<String> scopes();

        /**
         * Email domains ({@code example.com}; a subdomain is its own entry) whose people get a Handoff account at their
         * first sign-in through the provider, if the provider verified their address; {@code *} for anyone the
         * provider signs in. Unset: new accounts only while {@code handoff.auth.signup-open} is true. People with an
         * account sign in whatever this says.
         */
        Optional<List<String>> allowedEmailDomains();
    }
}
