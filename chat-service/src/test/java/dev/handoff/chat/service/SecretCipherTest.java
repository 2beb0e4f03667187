package dev.handoff.chat.service;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plain JUnit: AES-256-GCM with a fresh IV per value, key ids for rotation, values bound to their row. */
class SecretCipherTest {

    private static final String OLD_KEY = key();
    private static final String NEW_KEY = key();

    @Test
    void encryptsWithTheActiveKeyAndAFreshTwelveByteIvEachTime() {
        SecretCipher cipher = SecretCipher.of("k1:" + OLD_KEY, "k1");

        SecretCipher.Sealed first = cipher.encrypt("ghp_canary", "local:github_token");
        SecretCipher.Sealed second = cipher.encrypt("ghp_canary", "local:github_token");

        assertThat(first.keyId()).isEqualTo("k1");
        assertThat(first.iv()).hasSize(12);
        assertThat(first.iv()).isNotEqualTo(second.iv());
        assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
        assertThat(new String(first.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("ghp_canary");
        assertThat(first.ciphertext()).hasSize("ghp_canary".length() + 16);
        assertThat(cipher.decrypt(first, "local:github_token")).isEqualTo("ghp_canary");
    }

    @Test
    void afterRotationOldValuesStillDecryptAndNewOnesUseTheNewKey() {
        SecretCipher before = SecretCipher.of("k1:" + OLD_KEY, "k1");
        SecretCipher.Sealed old = before.encrypt("sk-old", "a");

        SecretCipher after = SecretCipher.of("k2:" + NEW_KEY + ",k1:" + OLD_KEY, "k2");

        assertThat(after.decrypt(old, "a")).isEqualTo("sk-old");
        assertThat(after.encrypt("sk-new", "a").keyId()).isEqualTo("k2");
        assertThatThrownBy(() -> SecretCipher.of("k2:" + NEW_KEY, "k2").decrypt(old, "a"))
            .hasMessageContaining("key k1");
    }

    @Test
    void aValueMovedToAnotherOwnerOrNameOrTamperedWithDoesNotDecrypt() {
        SecretCipher cipher = SecretCipher.of("k1:" + OLD_KEY, "k1");
        SecretCipher.Sealed sealed = cipher.encrypt("ghp_x", SecretService.associatedData("alice", "github_token"));

        assertThatThrownBy(() -> cipher.decrypt(sealed, SecretService.associatedData("bob", "github_token")))
            .isInstanceOf(IllegalStateException.class);
        byte[] tampered = sealed.ciphertext().clone();
        tampered[0] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(new SecretCipher.Sealed("k1", sealed.iv(), tampered),
            SecretService.associatedData("alice", "github_token"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesKeysThatAreNotAes256() {
        assertThatThrownBy(() -> SecretCipher.of("k1:" + Base64.getEncoder().encodeToString(new byte[16]), "k1"))
            .hasMessageContaining("32");
        assertThatThrownBy(() -> SecretCipher.of("k1:not base64!", "k1")).hasMessageContaining("base64");
        assertThatThrownBy(() -> SecretCipher.of("k1:" + OLD_KEY, "k9")).hasMessageContaining("k9");
        assertThatThrownBy(() -> SecretCipher.of("", null)).isInstanceOf(SecretCipher.NotConfiguredException.class);
    }

    @Test
    void nodesGetTheGitTokenAndAgentKeysButNotCloudTokens() {
        assertThat(SecretService.neededOnNodes("github_token")).isTrue();
        assertThat(SecretService.neededOnNodes("anthropic_api_key")).isTrue();
        assertThat(SecretService.neededOnNodes("hetzner_token")).isFalse();
    }

    private static String key() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
