package dev.handoff.vmagent.workspace;

import dev.handoff.vmagent.TextTail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * Clones {@code branch} of {@code repositoryUrl} into {@code target}, which must not exist or be empty.
     *
     * @param home HOME for git, so no user's git config or credentials apply
     */
    public void cloneBranch(String repositoryUrl, String branch, Path target, Path home)
        throws GitCloneException, IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        Files.createDirectories(home);
        Path stderr = Files.createTempFile(home, "git-clone-", ".log");
        try {
            var builder = new ProcessBuilder(List.of("git", "clone", "--branch", branch, "--single-branch", "--",
                repositoryUrl, target.toString()))
                .directory(home.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", SAFE_PATH);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("GIT_TERMINAL_PROMPT", "0");
            builder.environment().put("LANG", "C.UTF-8");
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
                String tail = TextTail.lastLinesOf(stderr, STDERR_LINES);
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
