package dev.handoff.provisioner.provider;

import dev.handoff.provisioner.config.ProvisionerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a local node's vm-agent gets from the provisioner's environment (issue 11 item 5): the installation's model
 * key (ANTHROPIC_API_KEY, set for this JVM by the module's surefire configuration) only on an operator's node; any
 * other user's node (where the installation trusts every account with local nodes) runs with the keys the user
 * stored, which reach the node with each task.
 */
class LocalNodeProviderTest {

    @TempDir
    Path work;

    @Test
    void onlyAnOperatorsNodeGetsTheInstallationsModelKey() throws Exception {
        LocalNodeProvider provider = new LocalNodeProvider();
        provider.config = config(work);

        assertThat(environmentOf(provider, "node-operator", true))
            .contains("ANTHROPIC_API_KEY=component-test-installation-key", "HANDOFF_NODE_ID=node-operator");
        assertThat(environmentOf(provider, "node-someone", false))
            .contains("HANDOFF_NODE_ID=node-someone")
            .noneMatch(line -> line.startsWith("ANTHROPIC_API_KEY="));
    }

    private static List<String> environmentOf(LocalNodeProvider provider, String nodeId, boolean forOperator)
        throws Exception {
        Process process = provider.launch(nodeId, "token", forOperator);
        assertThat(process.waitFor()).isZero();
        return Files.readAllLines(provider.config.local().workDir().resolve(nodeId).resolve("env"));
    }

    /** The defaults, with {@code java} a script that writes its environment to the node's folder and exits. */
    private static ProvisionerConfig config(Path work) throws Exception {
        Path java = work.resolve("fake-java");
        Files.writeString(java, "#!/bin/sh\nenv > \"$HOME/env\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        Map<String, Object> local = Map.of(
            "vmAgentJar", Optional.of(java),
            "java", java.toString(),
            "workDir", work.resolve("nodes"),
            "gatewayUrl", "ws://127.0.0.1:1/nodes/connect",
            "agentsFile", Optional.empty(),
            "passEnv", List.of("ANTHROPIC_API_KEY", "HANDOFF_REPOSITORY_ALLOW_HTTP"),
            "operatorOnlyEnv", List.of("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY"),
            "trustEveryAccount", true);
        ProvisionerConfig.Local localConfig = (ProvisionerConfig.Local) Proxy.newProxyInstance(
            LocalNodeProviderTest.class.getClassLoader(), new Class<?>[] {ProvisionerConfig.Local.class},
            (proxy, method, args) -> local.get(method.getName()));
        return (ProvisionerConfig) Proxy.newProxyInstance(LocalNodeProviderTest.class.getClassLoader(),
            new Class<?>[] {ProvisionerConfig.class},
            (proxy, method, args) -> method.getName().equals("local") ? localConfig : null);
    }
}
