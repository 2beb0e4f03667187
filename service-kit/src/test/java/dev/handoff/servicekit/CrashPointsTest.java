package dev.handoff.servicekit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CrashPointsTest {

    @Test
    void theVariableListsPointsSeparatedByCommas() {
        assertThat(CrashPoints.parse(null)).isEmpty();
        assertThat(CrashPoints.parse(" ")).isEmpty();
        assertThat(CrashPoints.parse("committed:NodeRequested, published:TaskCreated,"))
            .containsExactlyInAnyOrder("committed:NodeRequested", "published:TaskCreated");
    }

    @Test
    void unarmedNothingHalts() {
        // This JVM has no HANDOFF_CRASH_AT: reaching any point returns.
        assertThat(CrashPoints.armed()).isEmpty();
        CrashPoints.reached("committed", "NodeRequested");
        CrashPoints.reached("prompt-written");
    }

    @Test
    void anArmedPointHaltsTheProcessThereAndNowhereElse() throws Exception {
        Probe halted = probe("published:NodeRequested");
        assertThat(halted.exitCode()).isEqualTo(CrashPoints.EXIT_CODE);
        assertThat(halted.output()).contains("passed committed:NodeRequested")
            .contains("handoff crash point reached: published:NodeRequested")
            .doesNotContain("passed published:NodeRequested");

        Probe unarmed = probe(null);
        assertThat(unarmed.exitCode()).isZero();
        assertThat(unarmed.output()).contains("passed published:NodeRequested");
    }

    @Test
    void aPointWrittenToTheArmingFileWhileTheProcessRunsHaltsItThereOnceAndTheFileIsGone() throws Exception {
        Path file = Files.createTempFile("crash-points", ".txt");
        Files.writeString(file, "published:NodeRequested\n");
        Probe halted = probe(null, Map.of(CrashPoints.FILE_ENV, file.toString()));
        assertThat(halted.exitCode()).isEqualTo(CrashPoints.EXIT_CODE);
        assertThat(halted.output()).contains("passed committed:NodeRequested")
            .contains("handoff crash point reached: published:NodeRequested");
        assertThat(file).as("disarmed: the restarted process runs on").doesNotExist();

        Probe again = probe(null, Map.of(CrashPoints.FILE_ENV, file.toString()));
        assertThat(again.exitCode()).isZero();
        assertThat(again.output()).contains("passed published:NodeRequested");
    }

    @Test
    void aSystemPropertyOrConfigurationNeverArmsAPoint() throws Exception {
        Probe probe = probe(null, "-DHANDOFF_CRASH_AT=published:NodeRequested",
            "-Dhandoff.crash-at=published:NodeRequested");
        assertThat(probe.exitCode()).isZero();
    }

    private record Probe(int exitCode, String output) {
    }

    private static Probe probe(String armed, String... jvmOptions) throws Exception {
        return probe(armed, Map.of(), jvmOptions);
    }

    private static Probe probe(String armed, Map<String, String> env, String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashPointsProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(CrashPoints.ENV);
        builder.environment().remove(CrashPoints.FILE_ENV);
        builder.environment().putAll(env);
        if (armed != null) {
            builder.environment().put(CrashPoints.ENV, armed);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Probe(process.exitValue(), output);
    }
}
