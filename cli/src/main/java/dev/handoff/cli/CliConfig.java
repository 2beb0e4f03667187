package dev.handoff.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the CLI keeps the API URL and the personal API token: {@code $XDG_CONFIG_HOME/handoff/config.json}
 * (else {@code ~/.config/handoff/config.json}), mode 600 in a mode 700 folder. {@code HANDOFF_URL} and
 * {@code HANDOFF_TOKEN} in the environment take precedence.
 */
record CliConfig(String url, String token) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("handoff").resolve("config.json");
    }

    /** The saved config with the environment's overrides; throws when there is no URL or token. */
    static CliConfig load(Map<String, String> env) throws IOException {
        Path file = file(env);
        String url = env.get("HANDOFF_URL");
        String token = env.get("HANDOFF_TOKEN");
        if (Files.isRegularFile(file)) {
            JsonNode saved = JSON.readTree(file.toFile());
            url = url != null ? url : saved.path("url").asText(null);
            token = token != null ? token : saved.path("token").asText(null);
        }
        if (url == null || token == null) {
            throw new CliException("not logged in: run  handoff login --url URL --token TOKEN  first");
        }
        return new CliConfig(url, token);
    }

    /** Writes the config readable by its owner only (the token is a password). */
    void save(Map<String, String> env) throws IOException {
        Path file = file(env);
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path temp = Files.createTempFile(dir, "config", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, JSON.createObjectNode().put("url", url).put("token", token).toPrettyString() + "\n");
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
