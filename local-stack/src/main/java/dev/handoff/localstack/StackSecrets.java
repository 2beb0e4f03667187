package dev.handoff.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets a stack generates once and keeps in its work folder (file mode 600), so a restarted stack on the same
 * folder (and the same database) uses the same ones: the bootstrap operator's password, the internal service
 * token.
 */
final class StackSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private StackSecrets() {
    }

    /** The secret in {@code file}, generated (24 random bytes, base64url) and written with mode 600 when absent. */
    static String readOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
