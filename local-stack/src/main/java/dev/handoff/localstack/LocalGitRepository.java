package dev.handoff.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A local git remote for Handoff running on this machine: a bare repository holding a small project. */
public final class LocalGitRepository {

    private LocalGitRepository() {
    }

    /** Creates {@code dir}/app.git with one commit on main (auth.ts and a README); returns its file:// URL. */
    public static String bareRepositoryWithProject(Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("app-source");
        Path bare = dir.resolve("app.git");
        Files.createDirectories(source);
        Files.writeString(source.resolve("README.md"), "# app\nA small project for Handoff to work on.\n");
        Files.writeString(source.resolve("auth.ts"),
            "export const LOGIN_TIMEOUT_MS = 1000;\nexport function login() { return LOGIN_TIMEOUT_MS; }\n");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(source, "init", "-q", "-b", "main");
        git(source, "add", ".");
        git(source, "-c", "user.name=Handoff", "-c", "user.email=handoff@handoff.invalid", "commit", "-q",
            "-m", "Initial project");
        git(source, "push", "-q", bare.toUri().toString(), "main");
        return bare.toUri().toString();
    }

    /**
     * Creates {@code dir}/app-devcontainer.git: like {@link #bareRepositoryWithProject(Path)} plus
     * {@code .devcontainer/devcontainer.json}; returns its file:// URL.
     */
    public static String bareRepositoryWithDevcontainer(Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("app-devcontainer-source");
        Path bare = dir.resolve("app-devcontainer.git");
        Files.createDirectories(source.resolve(".devcontainer"));
        Files.writeString(source.resolve("README.md"), "# app\nA small project with a devcontainer.\n");
        Files.writeString(source.resolve("auth.ts"),
            "export const LOGIN_TIMEOUT_MS = 1000;\nexport function login() { return LOGIN_TIMEOUT_MS; }\n");
        Files.writeString(source.resolve(".devcontainer/devcontainer.json"),
            "{\"name\": \"app\", \"image\": \"mcr.microsoft.com/devcontainers/typescript-node:20\"}\n");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(source, "init", "-q", "-b", "main");
        git(source, "add", ".");
        git(source, "-c", "user.name=Handoff", "-c", "user.email=handoff@handoff.invalid", "commit", "-q",
            "-m", "Initial project with a devcontainer");
        git(source, "push", "-q", bare.toUri().toString(), "main");
        return bare.toUri().toString();
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
        }
    }
}
