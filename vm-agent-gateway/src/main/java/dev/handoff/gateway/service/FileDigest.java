package dev.handoff.gateway.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a file the gateway serves, as lower-case hex: computed from the file's bytes, and again whenever its
 * size or modification time changes (a new build dropped in place), so the digest always names what is served now.
 */
public final class FileDigest {

    private record Seen(Path path, long size, long modified, String sha256) {
    }

    private volatile Seen last;

    /** The file's SHA-256 now. */
    public String sha256(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Seen seen = last;
            if (seen != null && seen.path().equals(file) && seen.size() == attributes.size()
                && seen.modified() == attributes.lastModifiedTime().toMillis()) {
                return seen.sha256();
            }
            String sha256 = digest(file);
            last = new Seen(file, attributes.size(), attributes.lastModifiedTime().toMillis(), sha256);
            return sha256;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(Path file) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha256.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
