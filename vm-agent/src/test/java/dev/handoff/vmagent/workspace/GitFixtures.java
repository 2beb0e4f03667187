package dev.handoff.vmagent.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real git repositories for tests. */
public final class GitFixtures {

    /** What these tests clone from: file:// repositories and git servers on this machine, allowed explicitly. */
    public static final dev.handoff.contracts.net.RepositoryUrlPolicy LOCAL_REPOSITORIES =
        dev.handoff.contracts.net.RepositoryUrlPolicy.of(java.util.List.of("127.0.0.0/8", "::1"), true, true, true);

    /** A clone limited to a minute from {@link #LOCAL_REPOSITORIES}. */
    public static GitClone localClone() {
        return new GitClone(java.time.Duration.ofMinutes(1), LOCAL_REPOSITORIES);
    }

    private GitFixtures() {
    }

    /** A bare repository under {@code dir} whose {@code branch} has one commit with {@code README.md}. */
    public static Path bareRepositoryWithOneCommit(Path dir, String branch) throws IOException, InterruptedException {
        return bareRepositoryWithOneCommit(dir, branch, Map.of());
    }

    /** Like {@link #bareRepositoryWithOneCommit(Path, String)}, the commit also holding {@code files} (path: text). */
    public static Path bareRepositoryWithOneCommit(Path dir, String branch, Map<String, String> files)
        throws IOException, InterruptedException {
        Path bare = dir.resolve("origin.git");
        Path seed = dir.resolve("seed");
        git(dir, "init", "--bare", "--quiet", bare.toString());
        git(dir, "init", "--quiet", seed.toString());
        Files.writeString(seed.resolve("README.md"), "# fixture\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.createDirectories(seed.resolve(file.getKey()).getParent());
            Files.writeString(seed.resolve(file.getKey()), file.getValue());
        }
        git(seed, "add", "--all");
        git(seed, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "first");
        git(seed, "push", "--quiet", bare.toString(), "HEAD:refs/heads/" + branch);
        return bare;
    }

    /** Runs git in {@code dir} (no system config) and returns its output, stripped; fails the test when git fails. */
    public static String gitOutput(Path dir, String... args) throws IOException, InterruptedException {
        return git(dir, args).strip();
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("HOME", dir.toString());
        Process git = builder.start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }
}
