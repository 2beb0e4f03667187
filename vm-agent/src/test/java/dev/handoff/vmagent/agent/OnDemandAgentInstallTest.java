package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.gateway.RecordingReportSink;
import dev.handoff.vmagent.workspace.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents installed on demand: the first start of an agent with an npm package installs it into the agent cache
 * (here a fake npm, a shell script speaking npm's command line), later starts reuse it. The installed "package" is
 * a start script that runs {@link FakeAcpAgent}.
 */
class OnDemandAgentInstallTest {

    private static final AgentPackage PACKAGE = new AgentPackage("@handoff-test/fake-agent", "1.0.0");
    private static final String FAKE_NPM = """
        #!/bin/sh
        # Fake npm: `npm install --prefix <dir> ... <spec>` writes <dir>/node_modules/fake-agent/start.sh.
        echo "$*" >> "$NPM_CALLS"
        echo "withheld key seen by npm: ${HANDOFF_TEST_PASSED:-none}" >> "$NPM_CALLS"
        if [ -n "$FAKE_NPM_FAIL" ]; then
          echo "npm error code E404"
          echo "npm error 404 Not Found - GET https://registry.npmjs.org/@handoff-test%2ffake-agent"
          exit 1
        fi
        prefix=""
        while [ $# -gt 0 ]; do
          if [ "$1" = "--prefix" ]; then prefix="$2"; shift; fi
          shift
        done
        sleep 0.3
        mkdir -p "$prefix/node_modules/fake-agent"
        printf '#!/bin/sh\\nexec %s "$@"\\n' "$FAKE_AGENT_COMMAND" > "$prefix/node_modules/fake-agent/start.sh"
        echo "added 1 package in 0.3s"
        """;

    @TempDir
    Path work;
    @TempDir
    Path recordDir;
    @TempDir
    Path tools;

    private final RecordingReportSink reports = new RecordingReportSink();
    private AgentSessionRunner runner;

    @AfterEach
    void killAgents() {
        if (runner != null) {
            runner.killAllAgents();
        }
    }

    @Test
    void theFirstStartInstallsThePackageOnceAndLaterStartsReuseIt() throws Exception {
        AgentInstaller installer = installer(Map.of());
        runner = runner(installer);

        runner.startAgent(startAgent("ws-1", "delivery-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> reports.reportsOf(TurnEndedReport.class).size() == 1);
        runner.startAgent(startAgent("ws-2", "delivery-2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> reports.reportsOf(TurnEndedReport.class).size() == 2);

        assertThat(reports.reportsOf(AgentFailedReport.class)).isEmpty();
        assertThat(npmInstalls()).hasSize(1);
        assertThat(npmInstalls().get(0)).contains("install --prefix " + installer.installDir(PACKAGE))
            .endsWith(PACKAGE.spec());
        assertThat(Files.readAllLines(tools.resolve("npm-calls.txt")))
            .contains("withheld key seen by npm: none");
        assertThat(installer.isInstalled(PACKAGE)).isTrue();
        assertThat(installer.installDir(PACKAGE)).isEqualTo(work.resolve("agent-cache/@handoff-test+fake-agent@1.0.0"));
        // ${install} and ${home} are resolved in env values and home files
        JsonNode env = Json.MAPPER.readTree(recordDir.resolve("env.json").toFile());
        assertThat(env.path("FAKE_AGENT_PACKAGE_DIR").asText()).isEqualTo(installer.installDir(PACKAGE).toString());
        Path home = work.resolve("agent-homes/ws-2");
        assertThat(env.path("FAKE_AGENT_CONFIG_DIR").asText()).isEqualTo(home.resolve(".fake").toString());
        assertThat(home.resolve(".fake/config.toml")).hasContent("cache = \"" + installer.installDir(PACKAGE) + "\"\n");
    }

    @Test
    void concurrentStartsWaitForOneInstall() throws Exception {
        AgentInstaller installer = installer(Map.of());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> installs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                installs.add(threads.submit((Callable<Path>) () -> installer.ensureInstalled(PACKAGE)));
            }
            for (Future<Path> install : installs) {
                assertThat(install.get()).isEqualTo(installer.installDir(PACKAGE));
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(npmInstalls()).hasSize(1);
    }

    @Test
    void aHalfFinishedInstallIsDoneAgain() throws Exception {
        AgentInstaller installer = installer(Map.of());
        Files.createDirectories(installer.installDir(PACKAGE).resolve("node_modules/leftover"));

        installer.ensureInstalled(PACKAGE);

        assertThat(npmInstalls()).hasSize(1);
        assertThat(installer.installDir(PACKAGE).resolve("node_modules/leftover")).doesNotExist();
        assertThat(installer.installDir(PACKAGE).resolve("node_modules/fake-agent/start.sh")).exists();
    }

    @Test
    void aFailedInstallIsTheAgentFailureAndSaysWhy() throws Exception {
        runner = runner(installer(Map.of("FAKE_NPM_FAIL", "yes")));

        runner.startAgent(startAgent("ws-1", "delivery-1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !reports.reportsOf(AgentFailedReport.class).isEmpty());
        String reason = reports.reportsOf(AgentFailedReport.class).get(0).reason();
        assertThat(reason).contains("cannot start agent 'fake'",
            "installing agent package @handoff-test/fake-agent@1.0.0", "failed: npm exited with code 1",
            "npm error 404 Not Found");
        assertThat(reason).doesNotContain("secret-value");
    }

    @Test
    void aMissingNpmIsAClearFailure() {
        var installer = new AgentInstaller(work.resolve("agent-cache"), List.of(tools.resolve("no-npm").toString()),
            Duration.ofSeconds(30), Map.of(), Set.of());

        assertThatThrownBy(() -> installer.ensureInstalled(PACKAGE))
            .isInstanceOf(AgentInstallException.class)
            .hasMessageContaining("installing agent package @handoff-test/fake-agent@1.0.0")
            .hasMessageContaining("cannot run " + tools.resolve("no-npm"));
    }

    @Test
    void anAgentWithAPackageFailsClearlyWithoutAnAgentCache() throws Exception {
        runner = new AgentSessionRunner(agentsFile(), new WorkspacePaths(work),
            new AgentProcessLauncher(System.getenv()), Duration.ofSeconds(30), Duration.ofSeconds(5), "test", reports);
        Files.createDirectories(work.resolve("workspaces/ws-1"));

        runner.startAgent(startAgent("ws-1", "delivery-1"));

        assertThat(reports.reportsOf(AgentFailedReport.class)).singleElement()
            .satisfies(failed -> assertThat(failed.reason()).contains("has no agent cache"));
    }

    private AgentInstaller installer(Map<String, String> extraEnv) throws IOException {
        Path npm = tools.resolve("npm");
        Files.writeString(npm, FAKE_NPM);
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwx------"));
        AgentDefinition fake = FakeAgents.definition("normal", recordDir);
        Map<String, String> parentEnv = new HashMap<>(System.getenv());
        parentEnv.put("NPM_CALLS", tools.resolve("npm-calls.txt").toString());
        parentEnv.put("FAKE_AGENT_COMMAND", String.join(" ", fake.command()));
        parentEnv.put("HANDOFF_TEST_PASSED", "secret-value");
        parentEnv.putAll(extraEnv);
        return new AgentInstaller(work.resolve("agent-cache"), List.of(npm.toString()), Duration.ofSeconds(30),
            parentEnv, agentsFile().passEnvNames());
    }

    private AgentSessionRunner runner(AgentInstaller installer) {
        return new AgentSessionRunner(agentsFile(), new WorkspacePaths(work),
            new AgentProcessLauncher(System.getenv(), installer, List.of("docker")), Duration.ofSeconds(30),
            Duration.ofSeconds(5), "test", reports);
    }

    /** The fake agent as an npm package: its start script is in the cache, its settings refer to it. */
    private static AgentsFile agentsFile() {
        AgentDefinition fake = FakeAgents.definition("normal", Path.of("unused"));
        var definition = new AgentDefinition(
            List.of("/bin/sh", AgentDefinition.INSTALL_DIR + "/node_modules/fake-agent/start.sh"),
            Map.of("FAKE_AGENT_PACKAGE_DIR", AgentDefinition.INSTALL_DIR,
                   "FAKE_AGENT_CONFIG_DIR", AgentDefinition.HOME_DIR + "/.fake"),
            fake.passEnv(), Optional.of(PACKAGE),
            Map.of(".fake/config.toml", "cache = \"" + AgentDefinition.INSTALL_DIR + "\"\n"));
        return new AgentsFile(PermissionPolicy.ALLOW_ONCE, Map.of(FakeAgents.NAME, definition));
    }

    private StartAgent startAgent(String workspaceId, String deliveryId) throws IOException {
        Files.createDirectories(work.resolve("workspaces").resolve(workspaceId));
        return new StartAgent("cmd-" + deliveryId, "task-1", workspaceId, deliveryId, FakeAgents.NAME, "Say hello");
    }

    private List<String> npmInstalls() throws IOException {
        Path calls = tools.resolve("npm-calls.txt");
        return Files.exists(calls)
            ? Files.readAllLines(calls).stream().filter(line -> line.startsWith("install ")).toList()
            : List.of();
    }
}
