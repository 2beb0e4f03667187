package dev.handoff.vmagent.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An agent's private home, {@code <work>/agent-homes/<workspaceId>}: HOME, TMPDIR, CLAUDE_CONFIG_DIR, stderr log. */
public record AgentHome(Path dir) {

    public Path tmpDir() {
        return dir.resolve("tmp");
    }

    public Path claudeConfigDir() {
        return dir.resolve(".claude");
    }

    public Path stderrLog() {
        return dir.resolve("agent-stderr.log");
    }

    /** Creates the home and its subdirectories if missing. */
    public static AgentHome create(Path dir) throws IOException {
        var home = new AgentHome(dir.toAbsolutePath().normalize());
        Files.createDirectories(home.tmpDir());
        Files.createDirectories(home.claudeConfigDir());
        return home;
    }
}
