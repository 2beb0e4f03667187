package dev.handoff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliConfigTest {

    @Test
    void theTokenIsSavedOwnerReadableOnlyAndTheEnvironmentOverridesIt(@TempDir Path home) throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString());
        assertThatThrownBy(() -> CliConfig.load(env)).hasMessageContaining("handoff login");

        new CliConfig("http://h:8080", "hnd_secret").save(env);

        Path file = home.resolve(".config/handoff/config.json");
        assertThat(CliConfig.file(env)).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
            .isEqualTo("rwx------");
        assertThat(CliConfig.load(env)).isEqualTo(new CliConfig("http://h:8080", "hnd_secret"));
        assertThat(CliConfig.load(Map.of("HOME", home.toString(), "HANDOFF_TOKEN", "hnd_other")).token())
            .isEqualTo("hnd_other");
        assertThat(CliConfig.file(Map.of("XDG_CONFIG_HOME", "/x"))).isEqualTo(Path.of("/x/handoff/config.json"));
    }
}
