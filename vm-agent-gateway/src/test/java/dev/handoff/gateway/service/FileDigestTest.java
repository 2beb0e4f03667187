package dev.handoff.gateway.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FileDigestTest {

    @TempDir
    Path dir;

    @Test
    void theDigestIsTheServedFilesAndFollowsANewBuildDroppedInPlace() throws Exception {
        Path jar = Files.writeString(dir.resolve("vm-agent.jar"), "abc");
        FileDigest digest = new FileDigest();

        assertThat(digest.sha256(jar)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

        Files.writeString(jar, "abd");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(digest.sha256(jar)).isEqualTo("a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9");
    }
}
