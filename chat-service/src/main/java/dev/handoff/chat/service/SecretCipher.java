package dev.handoff.chat.service;

import dev.handoff.chat.config.SecretsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AES-256-GCM for stored secrets: a random 12-byte IV per value, a 128-bit tag, and the owner and name bound in as
 * associated data (a value copied to another row does not decrypt). Each value records the id of the key that
 * encrypted it: decryption uses that key, encryption always the active one, so keys rotate.
 */
@ApplicationScoped
public class SecretCipher {

    /** One encrypted value. */
    public record Sealed(String keyId, byte[] iv, byte[] ciphertext) {
    }

    /** No usable key is configured. */
    public static final class NotConfiguredException extends RuntimeException {
        NotConfiguredException(String message) {
            super(message);
        }
    }

    static final int IV_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecureRandom random = new SecureRandom();
    private Map<String, SecretKeySpec> keys;
    private String activeKeyId;

    @Inject
    SecretsConfig config;

    SecretCipher() {
    }

    /** For tests: {@code keys} as in {@link SecretsConfig#keys()}. */
    static SecretCipher of(String keys, String activeKeyId) {
        SecretCipher cipher = new SecretCipher();
        cipher.load(keys, activeKeyId);
        return cipher;
    }

    public Sealed encrypt(String plaintext, String associatedData) {
        loaded();
        SecretKeySpec key = keys.get(activeKeyId);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new Sealed(activeKeyId, iv, cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** @throws IllegalStateException when the key is unknown or the value was tampered with */
    public String decrypt(Sealed sealed, String associatedData) {
        loaded();
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("the key " + sealed.keyId() + " that encrypted this secret is not "
                + "configured (handoff.secrets.keys)");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.iv()));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret does not decrypt with key " + sealed.keyId(), e);
        }
    }

    public boolean configured() {
        try {
            loaded();
            return true;
        } catch (NotConfiguredException e) {
            return false;
        }
    }

    private synchronized void loaded() {
        if (keys == null) {
            load(config.keys().orElse(null), config.activeKey().orElse(null));
        }
    }

    private void load(String keyList, String activeId) {
        if (keyList == null || keyList.isBlank()) {
            throw new NotConfiguredException("no secret keys are configured (handoff.secrets.keys)");
        }
        Map<String, SecretKeySpec> parsed = new LinkedHashMap<>();
        for (String entry : keyList.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new NotConfiguredException("handoff.secrets.keys: each key is <id>:<base64>");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new NotConfiguredException("handoff.secrets.keys: key " + entry.substring(0, colon).strip()
                    + " is not base64");
            }
            if (bytes.length != 32) {
                throw new NotConfiguredException("handoff.secrets.keys: key " + entry.substring(0, colon).strip()
                    + " has " + bytes.length + " bytes; AES-256 needs 32");
            }
            parsed.put(entry.substring(0, colon).strip(), new SecretKeySpec(bytes, "AES"));
        }
        String active = activeId != null && !activeId.isBlank() ? activeId : parsed.keySet().iterator().next();
        if (!parsed.containsKey(active)) {
            throw new NotConfiguredException("handoff.secrets.active-key " + active + " is not among the keys");
        }
        this.keys = parsed;
        this.activeKeyId = active;
    }
}
