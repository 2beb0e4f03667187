package dev.handoff.chat.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * The keys that encrypt users' secrets (AES-256-GCM). Keys come only from configuration, never from code; local
 * runs get a fresh one from local-stack.
 */
@ConfigMapping(prefix = "handoff.secrets")
public interface SecretsConfig {

    /**
     * {@code HANDOFF_SECRETS_KEYS}: every key that may have encrypted a stored value, as {@code <id>:<base64 of 32
     * bytes>} separated by commas, e.g. {@code k2:...,k1:...}. To rotate: add a new key, make it active, and keep the
     * old ones until no value uses them. Unset: secrets cannot be stored (the API answers 503).
     */
    Optional<String> keys();

    /** {@code HANDOFF_SECRETS_ACTIVE_KEY}: the id of the key new values are encrypted with. */
    Optional<String> activeKey();

}
