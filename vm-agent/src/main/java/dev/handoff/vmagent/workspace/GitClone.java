package dev.handoff.vmagent.workspace;

import dev.handoff.vmagent.TextTail;
import dev.handoff.vmagent.git.GitCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/** Runs {@code git clone} of one branch as a child process with a clean environment and a time limit. */
public final class GitClone {

    private static final Logger LOG = Logger.getLogger(GitClone.class.getName());
    private static final String SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final int STDERR_LINES = 5;

    private final Duration timeout;

    public GitClone(Duration timeout) {
        this.timeout = timeout;
    }

    /** Clones a repository that needs no credentials. */
    public void cloneBranch(String repositoryUrl, String branch, Path target, Path home)
        throws GitCloneException, IOException, InterruptedException {
        cloneBranch(repositoryUrl, branch, target, home, GitCredentials.none());
    }

    /**
     * Clones {@code branch} of {@code repositoryUrl} into {@code target}, which must not exist or be empty.
     *
     * @param home        HOME for git, so no user's git config or credentials apply
     * @param credentials the token for a private repository, given to git through a credential helper only, so it
     *                    is not saved in the clone's remote URL or config
     */
    public void cloneBranch(String repositoryUrl, String branch, Path target, Path home, GitCredentials credentials)
        throws GitCloneException, IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        Files.createDirectories(home);
        Path stderr = Files.createTempFile(home, "git-clone-", ".log");
        try {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(credentials.configArguments());
            command.addAll(List.of("clone", "--branch", branch, "--single-branch", "--", repositoryUrl,
                target.toString()));
            var builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", SAFE_PATH);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("GIT_TERMINAL_PROMPT", "0");
            builder.environment().put("LANG", "C.UTF-8");
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            builder.environment().putAll(credentials.environment());
            LOG.log(Level.INFO, "cloning {0} branch {1} into {2}", new Object[] {repositoryUrl, branch, target});
            Process git = builder.start();
            git.getOutputStream().close();
            if (!git.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                git.descendants().forEach(ProcessHandle::destroyForcibly);
                git.destroyForcibly().waitFor();
                deleteRecursively(target);
                throw new GitCloneException("git clone did not finish within " + timeout.toSeconds() + " s");
            }
            if (git.exitValue() != 0) {
                String tail = credentials.redact(TextTail.lastLinesOf(stderr, STDERR_LINES));
                throw new GitCloneException("git clone failed with exit code " + git.exitValue()
                    + (tail.isEmpty() ? "" : ": " + tail));
            }
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    /** A half-finished clone must not look like a work tree to a redelivered command. */
    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
