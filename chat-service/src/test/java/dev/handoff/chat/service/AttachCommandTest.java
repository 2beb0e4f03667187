package dev.handoff.chat.service;

import dev.handoff.chat.client.AttachTicket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11 item 11: the attach command runs the vm-agent only when the downloaded jar has the SHA-256 of the attach
 * answer. The command runs in sh with stand-ins for curl (it "downloads" the bytes the test chose) and java (it
 * records that it ran), with sha256sum, and with only shasum (as on macOS).
 */
class AttachCommandTest {

    private static final AttachTicket TICKET = new AttachTicket("node-1a2b3c4d", "tok", Instant.EPOCH);
    private static final byte[] SERVED = "the vm-agent the gateway serves".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void theJarWithTheAnswersSha256IsRun() throws Exception {
        AttachCommand.Commands commands = AttachCommand.of("http://127.0.0.1:8083", TICKET, sha256(SERVED));

        assertThat(run(commands.command(), SERVED, true)).isZero();
        assertThat(dir.resolve("java-ran")).exists();
    }

    @Test
    void aJarWithAnyOtherContentIsNotRunWithSha256sumOrWithShasum() throws Exception {
        byte[] swapped = "a vm-agent someone on the way swapped".getBytes(StandardCharsets.UTF_8);
        AttachCommand.Commands commands = AttachCommand.of("http://gateway.example.com", TICKET, sha256(SERVED));

        assertThat(run(commands.command(), swapped, true)).isNotZero();
        assertThat(dir.resolve("java-ran")).doesNotExist();
        assertThat(run(commands.command(), swapped, false)).isNotZero();
        assertThat(dir.resolve("java-ran")).doesNotExist();
        assertThat(run(commands.javaCommand(), swapped, true)).as("the java line alone checks too").isNotZero();
        assertThat(dir.resolve("java-ran")).doesNotExist();

        assertThat(run(commands.command(), SERVED, false)).as("shasum where there is no sha256sum").isZero();
        assertThat(dir.resolve("java-ran")).exists();
    }

    @Test
    void theCommandNamesTheGatewayAndOnlyAHexSha256GoesIntoIt() {
        String sha256 = sha256(SERVED);
        AttachCommand.Commands commands = AttachCommand.of("https://handoff.example.com/", TICKET, sha256);

        assertThat(commands.command()).startsWith("curl -fsSL https://handoff.example.com/nodes/bootstrap/vm-agent.jar"
            + " -o handoff-vm-agent.jar && curl -fsSL https://handoff.example.com/nodes/bootstrap/agents.json -o "
            + "handoff-agents.json && echo '" + sha256 + "  handoff-vm-agent.jar' | ");
        assertThat(commands.javaCommand()).contains("HANDOFF_GATEWAY_URL=wss://handoff.example.com/nodes/connect")
            .endsWith("java -jar handoff-vm-agent.jar").doesNotContain("curl");
        assertThatThrownBy(() -> AttachCommand.of("https://h", TICKET, "abc; rm -rf ~"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /** Runs {@code command} in sh in {@code dir} with stand-ins for curl and java; its exit code. */
    private int run(String command, byte[] download, boolean withSha256sum) throws Exception {
        Files.deleteIfExists(dir.resolve("java-ran"));
        Path bin = Files.createDirectories(dir.resolve(withSha256sum ? "bin-sha256sum" : "bin-shasum"));
        Path served = Files.write(dir.resolve("download"), download);
        script(bin.resolve("curl"), "#!/bin/sh\nwhile [ \"$1\" != -o ]; do shift; done\ncp '" + served + "' \"$2\"\n");
        script(bin.resolve("java"), "#!/bin/sh\ntouch '" + dir.resolve("java-ran") + "'\n");
        for (String tool : withSha256sum ? List.of("sha256sum", "touch", "cp") : List.of("shasum", "perl", "touch",
            "cp")) {
            Path link = bin.resolve(tool);
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of("/usr/bin", tool));
            }
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("HOME", dir.toString());
        Process started = builder.start();
        assertThat(started.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return started.exitValue();
    }

    private static void script(Path path, String text) throws Exception {
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
