package dev.handoff.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class StackSecretsTest {

    @Test
    void aSecretIsGeneratedOnceOwnerReadableOnlyAndReused(@TempDir Path work) throws Exception {
        Path file = work.resolve("operator-password");

        String first = StackSecrets.readOrCreate(file);

        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(StackSecrets.readOrCreate(file)).as("the next start reuses it").isEqualTo(first);
        assertThat(StackSecrets.readOrCreate(work.resolve("other"))).isNotEqualTo(first);
    }
}
