package dev.handoff.chat.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How password sign-in holds up under a flood: bounded hashing, throttles, and whose X-Forwarded-For to believe. */
@ConfigMapping(prefix = "handoff.auth.sign-in")
public interface SignInConfig {

    /** Argon2id hashing, each using {@code handoff.auth.argon2.memory-kib} of heap while it runs. */
    Hashing hashing();

    /** Failed-or-pending sign-ins allowed per window; beyond them 429 with Retry-After. */
    Throttle throttle();

    /**
     * Proxies (CIDRs or addresses, e.g. the ingress' network) whose {@code X-Forwarded-For} names the client; from
     * anyone else the header is ignored and the connection's address is the client. Empty by default.
     */
    Optional<List<String>> trustedProxies();

    interface Hashing {
        /** Passwords hashed at once (each holds its Argon2 memory); about the number of cores. */
        @WithDefault("2")
        int maxConcurrent();

        /** Sign-ins waiting for a hashing slot; one more is answered 503 with Retry-After. */
        @WithDefault("16")
        int maxWaiting();
    }

    interface Throttle {
        /** The fixed window attempts are counted in. */
        @WithDefault("15m")
        Duration window();

        /** Attempts per account (email) per window; a correct password resets the account's count. */
        @WithDefault("10")
        int perAccount();

        /** Attempts per client address per window. */
        @WithDefault("50")
        int perAddress();
    }
}
