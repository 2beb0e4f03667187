package dev.handoff.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The project the benchmark's tasks work on: a bare git repository with a small project, as a remote would hold. */
final class BenchRepository {

    private BenchRepository() {
    }

    /** Creates {@code dir}/app.git with one commit on main (auth.ts and a README); returns its file:// URL. */
    static String bareRepositoryWithProject(Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("app-source");
        Path bare = dir.resolve("app.git");
        Files.createDirectories(source);
        Files.writeString(source.resolve("README.md"), "# app\nA small project for Handoff's benchmarks.\n");
        Files.writeString(source.resolve("auth.ts"),
            "export const LOGIN_TIMEOUT_MS = 1000;\nexport function login() { return LOGIN_TIMEOUT_MS; }\n");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(source, "init", "-q", "-b", "main");
        git(source, "add", ".");
        git(source, "-c", "user.name=Handoff Bench", "-c", "user.email=bench@handoff.invalid", "commit", "-q",
            "-m", "Initial project");
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
