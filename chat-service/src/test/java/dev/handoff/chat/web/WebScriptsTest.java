package dev.handoff.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the web page's script tests ({@code src/test/js/*.test.mjs}) with {@code node --test}, so the Maven build
 * runs them: node is one of the build's tools (see {@code .ci/run}). The files hold their own timeouts.
 */
class WebScriptsTest {

    private static final Path SCRIPTS = Path.of("src/test/js");

    @Test
    void theWebPagesScriptTestsPass() throws IOException, InterruptedException {
        List<String> command;
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            command = Stream.concat(Stream.of("node", "--test"),
                files.filter(f -> f.toString().endsWith(".test.mjs")).map(Path::toString).sorted()).toList();
        }
        assertThat(command).hasSizeGreaterThan(2);
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        node.getOutputStream().close();
        byte[] output = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(5, TimeUnit.MINUTES)).as("node --test finished").isTrue();
        assertThat(node.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();
    }
}
