package dev.handoff.chat.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1);

    @Test
    void aHashCarriesItsParametersAndSaltAndVerifiesOnlyItsPassword() {
        String hash = hasher.hash("correct horse battery staple");

        assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("correct");
        assertThat(PasswordHasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(PasswordHasher.verify("correct horse battery stapl", hash)).isFalse();
        assertThat(hasher.hash("correct horse battery staple")).as("a new salt each time").isNotEqualTo(hash);
    }

    @Test
    void oldHashesStayValidWhenTheCostChanges() {
        String cheap = hasher.hash("pw-12345678");

        assertThat(new PasswordHasher(2048, 2, 1).hash("x")).contains("m=2048,t=2,p=1");
        assertThat(PasswordHasher.verify("pw-12345678", cheap)).isTrue();
    }

    @Test
    void aKnownArgon2idVectorVerifies() {
        // Made by the reference implementation (libargon2 argon2id_hash_encoded: t=2, m=1024 KiB, p=1, salt "somesalt")
        String reference = "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQ$7FfsnA6vUe7qLpL/3Kqc3uR48ZJyFbUVt7jWZlf0Htk";
        assertThat(PasswordHasher.verify("password", reference)).isTrue();
    }

    @Test
    void garbageIsNotAMatch() {
        assertThat(PasswordHasher.verify("x", "plain")).isFalse();
        assertThat(PasswordHasher.verify("x", "$argon2i$v=19$m=8,t=1,p=1$AAAA$AAAA")).isFalse();
        assertThat(PasswordHasher.verify("x", null)).isFalse();
    }

    @Test
    void opaqueSecretsAre256BitsAndHashedHex() {
        String secret = OpaqueSecrets.random256();
        assertThat(secret).hasSize(43).doesNotContain("=");
        assertThat(OpaqueSecrets.sha256("abc"))
            .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
