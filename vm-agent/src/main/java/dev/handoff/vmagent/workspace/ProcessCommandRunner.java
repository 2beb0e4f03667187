package dev.handoff.vmagent.workspace;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes with the given environment, capturing stdout and stderr. */
public final class ProcessCommandRunner implements CommandRunner {

    private final Map<String, String> env;

    /** @param env the complete environment of the commands (normally the vm-agent's own) */
    public ProcessCommandRunner(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
        }
        try {
            return new Result(process.exitValue(), stdout.get(), stderr.get());
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + command.get(0), e.getCause());
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
