package dev.handoff.vmagent.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Agents files whose one agent, {@code fake}, is {@link FakeAcpAgent} in a separate JVM. */
public final class FakeAgents {

    public static final String NAME = "fake";

    private FakeAgents() {
    }

    public static AgentsFile agentsFile(String mode, Path recordDir) {
        return new AgentsFile(PermissionPolicy.ALLOW_ONCE, Map.of(NAME, definition(mode, recordDir)));
    }

    /** The fake agent with one literal variable and two passEnv names, one of them never set anywhere. */
    public static AgentDefinition definition(String mode, Path recordDir) {
        String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new AgentDefinition(
            List.of(java, "-XX:+DisplayVMOutputToStderr", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), FakeAcpAgent.class.getName(), mode,
                recordDir.toString()),
            Map.of("FAKE_AGENT_SETTING", "on"),
            List.of("HANDOFF_TEST_PASSED", "HANDOFF_TEST_NEVER_SET"));
    }
}
