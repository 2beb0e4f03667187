package dev.handoff.vmagent.git;

import dev.handoff.vmagent.TextTail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs git as a child process with a clean environment: no system or global git config (so neither the node's
 * identity nor its credential helpers apply), no terminal prompt, a time limit, and the token only through
 * {@link GitCredentials}.
 */
public final class Git {

    /** One git run: its exit code, its standard output, and the last lines of its standard error (redacted). */
    public record Result(int exitCode, String stdout, String stderrTail) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** Stderr's tail, or the exit code when git said nothing. */
        public String problem() {
            return stderrTail.isBlank() ? "exit code " + exitCode : stderrTail;
        }
    }

    private static final String SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final int STDERR_LINES = 5;

    private final Duration timeout;

    public Git(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Runs {@code git <credential options> <args>} in {@code dir}.
     *
     * @param home HOME for git: no user's files are read from it, since global config is switched off
     * @throws GitTimeoutException when git did not finish in time (it is killed)
     */
    public Result run(Path dir, Path home, GitCredentials credentials, List<String> args)
        throws IOException, InterruptedException {
        List<String> command = commandLine(credentials, args);
        Files.createDirectories(home);
        Path stdout = Files.createTempFile(home, "git-out-", ".log");
        Path stderr = Files.createTempFile(home, "git-err-", ".log");
        try {
            var builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", SAFE_PATH);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("LANG", "C.UTF-8");
            builder.environment().put("GIT_TERMINAL_PROMPT", "0");
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            builder.environment().putAll(credentials.environment());
            Process git = builder.start();
            git.getOutputStream().close();
            if (!git.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                git.descendants().forEach(ProcessHandle::destroyForcibly);
                git.destroyForcibly().waitFor();
                throw new GitTimeoutException("git " + args.get(0) + " did not finish within "
                    + timeout.toSeconds() + " s");
            }
            return new Result(git.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8).strip(),
                credentials.redact(TextTail.lastLinesOf(stderr, STDERR_LINES)));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** The command line git is started with; it never holds the token. */
    static List<String> commandLine(GitCredentials credentials, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(credentials.configArguments());
        command.addAll(args);
        return command;
    }
}
