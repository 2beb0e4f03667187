package dev.handoff.deploy;

import dev.handoff.contracts.Topics;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml and .env.example, checked offline: every variable a service is given is one it reads, every
 * setting comes from .env.example and .env.example holds no real secret, health checks on /q/health/ready, restart
 * policies, named volumes, one published port, topics equal to Topics.ALL, one database per service; and, where
 * Debian's docker-compose is installed, `docker-compose config` accepts the file.
 */
class ComposeFileTest {

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|_KEY|_KEYS)$");
    /** Names that look secret but are not: the id of the active secrets key. */
    private static final Set<String> NOT_SECRET = Set.of("HANDOFF_SECRETS_ACTIVE_KEY");
    /** Settings of docker compose itself, not of a service. */
    private static final Set<String> COMPOSE_SETTINGS = Set.of("COMPOSE_PROJECT_NAME");

    @SuppressWarnings("unchecked")
    static Map<String, Object> compose() {
        return (Map<String, Object>) new Yaml().load(Repo.read("docker-compose.yml"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<String, Object>) services().get(service).get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    @Test
    void everyVariableTheComposeFileGivesAServiceIsOneTheServiceReads() {
        for (String service : Repo.SERVICES) {
            ServiceSettings settings = ServiceSettings.of(service);
            Map<String, String> env = environment(service);
            assertThat(env).as(service).isNotEmpty();
            for (String name : env.keySet()) {
                assertThat(settings.reads(name) || forwardedToNodes(service, env, name))
                    .as("%s reads %s", service, name).isTrue();
            }
        }
    }

    /**
     * The provisioner's local nodes get the variables its pass list names (handoff.provisioner.local.pass-env); each
     * of those must be one the vm-agent or an agent of the image's agents file reads.
     */
    static boolean forwardedToNodes(String service, Map<String, String> env, String name) {
        if (!service.equals("provisioner-service")) {
            return false;
        }
        List<String> passed = List.of(env.getOrDefault("HANDOFF_PROVISIONER_LOCAL_PASS_ENV", "").split(","));
        return passed.contains(name) && nodeReads(name);
    }

    static boolean nodeReads(String name) {
        return ServiceSettings.vmAgentVariables().contains(name)
            || Repo.read("deploy/images/agents.json").contains("\"" + name + "\"");
    }

    @Test
    void everyNameTheProvisionerForwardsToNodesIsOneANodeReads() {
        String pass = environment("provisioner-service").get("HANDOFF_PROVISIONER_LOCAL_PASS_ENV");
        for (String name : pass.split(",")) {
            assertThat(nodeReads(name)).as("a node reads %s", name).isTrue();
        }
    }

    @Test
    void everySettingComesFromEnvExampleAndEnvExampleListsOnlyUsedSettings() {
        Set<String> used = new TreeSet<>();
        Matcher m = INTERPOLATION.matcher(Repo.read("docker-compose.yml"));
        while (m.find()) {
            used.add(m.group(1));
        }
        Map<String, String> example = envExample();
        assertThat(example.keySet()).as(".env.example lists every setting docker-compose.yml uses").containsAll(used);
        Set<String> unused = new TreeSet<>(example.keySet());
        unused.removeAll(used);
        unused.removeAll(COMPOSE_SETTINGS);
        assertThat(unused).as(".env.example settings docker-compose.yml never uses").isEmpty();
    }

    @Test
    void envExampleHoldsNoRealSecret() {
        envExample().forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches() && !NOT_SECRET.contains(name)) {
                assertThat(value.isEmpty() || value.startsWith("change-me"))
                    .as(".env.example %s is a placeholder, not a secret", name).isTrue();
            }
        });
        assertThat(Repo.read(".gitignore").lines()).as(".env is never committed").contains(".env");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasItsReadinessCheckARestartPolicyAndItsImageBuild() {
        for (String service : Repo.SERVICES) {
            Map<String, Object> definition = services().get(service);
            String port = Repo.applicationProperties(service).get("quarkus.http.port");
            Map<String, Object> health = (Map<String, Object>) definition.get("healthcheck");
            assertThat(String.valueOf(health.get("test"))).as(service)
                .contains("http://127.0.0.1:" + port + "/q/health/ready");
            assertThat(definition.get("restart")).as(service).isEqualTo("unless-stopped");
            Map<String, Object> build = (Map<String, Object>) definition.get("build");
            assertThat(build.get("context")).as(service + " builds from the repository root").isEqualTo(".");
            Path dockerfile = Repo.path((String) build.get("dockerfile"));
            assertThat(dockerfile).as(service).isRegularFile();
            Object target = build.get("target");
            if (target != null) {
                assertThat(Dockerfile.read(dockerfile).stage((String) target)).as(service + " target").isPresent();
            }
            Map<String, Object> depends = (Map<String, Object>) definition.get("depends_on");
            assertThat(depends).as(service + " starts after the topics and the database")
                .containsKeys("kafka-topics", "postgres");
        }
        services().forEach((name, definition) -> assertThat(definition).as(name).containsKey("restart"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void dataLivesInNamedVolumesAndOnlyTheWebChatIsPublished() {
        Set<String> declared = ((Map<String, Object>) compose().get("volumes")).keySet();
        List<String> published = new java.util.ArrayList<>();
        services().forEach((name, definition) -> {
            for (Object volume : (List<Object>) definition.getOrDefault("volumes", List.of())) {
                String spec = String.valueOf(volume);
                if (spec.startsWith("./")) {
                    assertThat(spec).as("%s: a bind mount is a read-only script", name).endsWith(":ro");
                } else {
                    assertThat(declared).as("%s: named volume %s", name, spec).contains(spec.split(":")[0]);
                }
            }
            for (Object port : (List<Object>) definition.getOrDefault("ports", List.of())) {
                published.add(name + " " + port);
            }
        });
        assertThat(declared).contains("kafka-data", "postgres-data", "nodes");
        assertThat(published).containsExactly("chat-service ${HANDOFF_HTTP_PORT:-8080}:8080");
    }

    @Test
    void theTopicsScriptCreatesExactlyTopicsAllWithTheKubernetesPartitions() {
        Map<String, Integer> topics = composeTopics();
        assertThat(topics.keySet()).containsExactlyInAnyOrder(Topics.ALL);
        assertThat(topics).isEqualTo(KubernetesManifestsTest.topicPartitions());
    }

    @Test
    void eachServiceHasItsOwnDatabaseAndRoleFromTheInitScript() {
        String init = Repo.read("deploy/compose/postgres-init.sh");
        Set<String> databases = new TreeSet<>();
        for (String service : Repo.SERVICES) {
            Map<String, String> env = environment(service);
            String url = env.get("QUARKUS_DATASOURCE_REACTIVE_URL");
            String database = url.substring(url.lastIndexOf('/') + 1);
            String expected = Repo.applicationProperties(service).get("quarkus.datasource.reactive.url");
            assertThat(url).as(service).isEqualTo("postgresql://postgres:5432/" + expected.substring(expected.lastIndexOf('/') + 1));
            assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).as(service + " logs in as its database's owner")
                .isEqualTo(database);
            assertThat(init).contains("create " + database + " " + database + " ");
            databases.add(database);
        }
        assertThat(databases).hasSize(Repo.SERVICES.size());
    }

    @Test
    void debiansDockerComposeAcceptsTheFile() throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin/docker-compose");
        assumeTrue(Files.isExecutable(binary), "docker-compose is not installed (apt-get install docker-compose)");
        Process process = new ProcessBuilder(binary.toString(), "--env-file", ".env.example", "-f",
            "docker-compose.yml", "config", "--quiet")
            .directory(Repo.ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    static Map<String, Integer> composeTopics() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        String script = Repo.read("deploy/compose/create-topics.sh");
        String list = script.substring(script.indexOf("<<'TOPICS'") + 10, script.lastIndexOf("TOPICS"));
        for (String line : list.strip().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            topics.put(parts[0], Integer.parseInt(parts[1]));
        }
        return topics;
    }

    static Map<String, String> envExample() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Repo.read(".env.example").lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(eq).as(".env.example line %s", line).isPositive();
            assertThat(settings.put(line.substring(0, eq), line.substring(eq + 1))).as("duplicate " + line).isNull();
        }
        return settings;
    }
}
