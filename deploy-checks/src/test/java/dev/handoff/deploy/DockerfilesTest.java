package dev.handoff.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.vmagent.agent.AgentsFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images' Dockerfiles, checked without a container engine: every base image pinned, a non-root user, no secret
 * baked in, every COPY source one the build really produces (and the build context admits), the whole Quarkus
 * fast-jar copied, the service's port exposed and its readiness endpoint as the health check.
 */
class DockerfilesTest {

    /** An image: its Dockerfile (built from the repository root), the stage, and the service it runs, if any. */
    record Image(String name, String dockerfile, Optional<String> target, Optional<String> service) {
        Dockerfile parsed() {
            return Dockerfile.read(Repo.path(dockerfile));
        }

        Dockerfile.Stage stage(Dockerfile file) {
            return target.map(t -> file.stage(t).orElseThrow(() -> new AssertionError(dockerfile + ": no stage " + t)))
                .orElseGet(file::lastStage);
        }
    }

    static final String NODE_DOCKERFILE = "vm-agent/src/main/docker/Dockerfile.jvm";

    static List<Image> images() {
        List<Image> images = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            images.add(new Image(service, service + "/src/main/docker/Dockerfile.jvm", Optional.empty(),
                Optional.of(service)));
        }
        images.add(new Image("vm-agent", NODE_DOCKERFILE, Optional.empty(), Optional.empty()));
        images.add(new Image("provisioner-local-nodes", NODE_DOCKERFILE, Optional.of("provisioner-local-nodes"),
            Optional.of("provisioner-service")));
        return images;
    }

    private static final Pattern PINNED = Pattern.compile("[^:@\\s]+(:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*)?(@sha256:[0-9a-f]{64})?");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|TOKEN|PASSWORD|SECRET|CREDENTIAL).*");
    private static final Pattern ENV_NAME = Pattern.compile("(?:^|\\s)([A-Za-z_][A-Za-z0-9_]*)=");

    @Test
    void everyBaseImageIsPinnedByVersionOrDigest() {
        for (Image image : images()) {
            Dockerfile file = image.parsed();
            for (Dockerfile.Stage stage : file.lineage(image.stage(file))) {
                if (file.stage(stage.base()).isPresent()) {
                    continue;
                }
                Matcher m = PINNED.matcher(stage.base());
                assertThat(m.matches() && (m.group(1) != null || m.group(2) != null))
                    .as("%s: base %s is pinned by a version tag or a digest", image.name(), stage.base()).isTrue();
                assertThat(stage.base()).as(image.name()).doesNotContain(":latest");
            }
        }
    }

    @Test
    void everyImageRunsAsANonRootUser() {
        for (Image image : images()) {
            Dockerfile file = image.parsed();
            Optional<String> user = file.lineage(image.stage(file)).stream()
                .map(stage -> stage.last("USER")).flatMap(Optional::stream).map(i -> i.arguments().trim()).findFirst();
            assertThat(user).as("%s has a USER", image.name()).isPresent();
            assertThat(user.get().split(":")[0]).as("%s's USER", image.name()).isNotIn("root", "0");
        }
    }

    @Test
    void noSecretIsBakedIntoAnImage() {
        for (Image image : images()) {
            Dockerfile file = image.parsed();
            for (Dockerfile.Stage stage : file.lineage(image.stage(file))) {
                for (Dockerfile.Instruction instruction : stage.instructions()) {
                    if (instruction.keyword().equals("ENV") || instruction.keyword().equals("ARG")) {
                        for (String name : variableNames(instruction)) {
                            assertThat(name).as("%s: %s %s", image.name(), instruction.keyword(), name)
                                .doesNotMatch(SECRET_NAME);
                        }
                    }
                    if (instruction.keyword().equals("COPY") || instruction.keyword().equals("ADD")) {
                        assertThat(instruction.arguments()).as("%s copies no .env or key file", image.name())
                            .doesNotContain(".env").doesNotContain(".pem").doesNotContain("secret");
                    }
                }
            }
        }
    }

    @Test
    void everyCopiedPathIsOneTheBuildProducesAndTheContextAdmits() throws IOException {
        List<String> admitted = dockerignoreExceptions();
        for (Image image : images()) {
            Dockerfile file = image.parsed();
            for (Dockerfile.Stage stage : file.lineage(image.stage(file))) {
                for (Dockerfile.Instruction copy : stage.all("COPY")) {
                    assertThat(copy.arguments()).as("%s: COPY from another image", image.name()).doesNotContain("--from");
                    List<String> words = copy.words();
                    for (String source : words.subList(0, words.size() - 1)) {
                        List<Path> matches = expand(source);
                        assertThat(matches).as("%s: COPY %s: the build produces it (run ./mvnw -B package first)",
                            image.name(), source).isNotEmpty();
                        assertThat(admitted.stream().anyMatch(a -> source.equals(a) || source.startsWith(a)))
                            .as("%s: COPY %s is admitted by .dockerignore %s", image.name(), source, admitted).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theWholeFastJarIsCopiedAndRun() throws IOException {
        for (Image image : images()) {
            if (image.service().isEmpty()) {
                continue;
            }
            String service = image.service().get();
            assertThat(Repo.applicationProperties(service)).as(service + " keeps the fast-jar packaging")
                .doesNotContainKey("quarkus.package.jar.type");
            Path app = Repo.path(service + "/target/quarkus-app");
            assertThat(app).as("build first: ./mvnw -B package").isDirectory();
            Dockerfile file = image.parsed();
            Dockerfile.Stage stage = image.stage(file);
            List<Path> copied = new ArrayList<>();
            for (Dockerfile.Instruction copy : stage.all("COPY")) {
                List<String> words = copy.words();
                if (words.get(words.size() - 1).startsWith("/deployments/")) {
                    words.subList(0, words.size() - 1).forEach(source -> copied.addAll(expand(source)));
                }
            }
            try (Stream<Path> entries = Files.list(app)) {
                for (Path entry : entries.toList()) {
                    if (entry.getFileName().toString().endsWith(".txt")) {
                        continue;
                    }
                    assertThat(copied).as("%s: %s is copied to /deployments/", image.name(), entry).contains(entry);
                }
            }
            String runs = stage.all("ENTRYPOINT").toString() + stage.all("ENV").toString();
            assertThat(runs).as(image.name() + " runs the fast-jar").contains("/deployments/quarkus-run.jar");
        }
    }

    @Test
    void eachServiceImageExposesItsPortAndChecksItsReadiness() {
        for (Image image : images()) {
            if (image.service().isEmpty()) {
                continue;
            }
            String port = Repo.applicationProperties(image.service().get()).get("quarkus.http.port");
            Dockerfile file = image.parsed();
            Dockerfile.Stage stage = image.stage(file);
            assertThat(stage.last("EXPOSE")).as(image.name()).map(Dockerfile.Instruction::arguments).contains(port);
            assertThat(stage.last("HEALTHCHECK")).as(image.name()).map(Dockerfile.Instruction::arguments).get()
                .asString().contains("http://127.0.0.1:" + port + "/q/health/ready");
        }
    }

    @Test
    void everyVariableAnImageSetsIsOneItsProgramReads() {
        Set<String> vmAgent = ServiceSettings.vmAgentVariables();
        Set<String> runtime = Set.of("LANG", "LANGUAGE", "JAVA_OPTS_APPEND", "JAVA_APP_JAR");
        for (Image image : images()) {
            Dockerfile file = image.parsed();
            ServiceSettings settings = image.service().map(ServiceSettings::of).orElse(null);
            for (Dockerfile.Stage stage : file.lineage(image.stage(file))) {
                for (Dockerfile.Instruction env : stage.all("ENV")) {
                    for (String name : variableNames(env)) {
                        boolean read = runtime.contains(name) || vmAgent.contains(name)
                            || (settings != null && settings.reads(name));
                        assertThat(read).as("%s: ENV %s is read by the image's program", image.name(), name).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theNodeImagesAgentsFilesAreValidAndPointAtWhatTheImageInstalls() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode pkg = json.readTree(Repo.read("agents/package.json")).path("dependencies");
        String claudePackage = "@agentclientprotocol/claude-agent-acp";
        String claudeVersion = pkg.path(claudePackage).asText();
        assertThat(claudeVersion).isNotEmpty();

        // The node image: Claude Code pre-installed by `npm ci --prefix /opt/handoff/agents` of agents/.
        AgentsFile.load(Repo.path("deploy/images/agents.json"));
        Dockerfile nodes = Dockerfile.read(Repo.path(NODE_DOCKERFILE));
        String runs = nodes.stage("node-runtime").orElseThrow().all("RUN").toString();
        assertThat(runs).contains("npm ci --prefix /opt/handoff/agents");
        JsonNode image = json.readTree(Repo.read("deploy/images/agents.json"));
        assertThat(image.path("agents").path("claude-code").path("command").get(1).asText())
            .isEqualTo("/opt/handoff/agents/node_modules/" + claudePackage + "/dist/index.js");

        // Cloud nodes (the gateway's bootstrap agents file): the same pinned adapter, installed on demand.
        AgentsFile.load(Repo.path("deploy/images/agents.cloud.json"));
        JsonNode cloud = json.readTree(Repo.read("deploy/images/agents.cloud.json"));
        assertThat(cloud.path("agents").path("claude-code").path("install").path("version").asText())
            .isEqualTo(claudeVersion);

        // Codex and Gemini CLI: the versions local-stack pins (LocalAgents), in both files.
        String localAgents = Repo.read("local-stack/src/main/java/dev/handoff/localstack/LocalAgents.java");
        for (JsonNode file : List.of(image, cloud)) {
            assertThat(file.path("agents").path("codex").path("install").path("version").asText())
                .isEqualTo(constant(localAgents, "CODEX_VERSION"));
            assertThat(file.path("agents").path("gemini-cli").path("install").path("version").asText())
                .isEqualTo(constant(localAgents, "GEMINI_CLI_VERSION"));
            assertThat(file.path("agents").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("claude-code", "codex", "gemini-cli");
        }
    }

    static Set<String> variableNames(Dockerfile.Instruction instruction) {
        Set<String> names = new TreeSet<>();
        Matcher m = ENV_NAME.matcher(instruction.arguments());
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.isEmpty()) {
            names.add(instruction.arguments().trim().split("\\s+")[0]);
        }
        return names;
    }

    private static String constant(String source, String name) {
        Matcher m = Pattern.compile(name + " = \"([^\"]+)\"").matcher(source);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    /** A COPY source (relative to the repository root, the build context), globs expanded. */
    static List<Path> expand(String source) {
        String clean = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        if (!clean.contains("*")) {
            Path path = Repo.path(clean);
            return Files.exists(path) ? List.of(path) : List.of();
        }
        Path dir = Repo.path(clean.substring(0, clean.lastIndexOf('/')));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + clean.substring(clean.lastIndexOf('/') + 1));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** .dockerignore is "ignore everything" plus exceptions; returns the exceptions. */
    static List<String> dockerignoreExceptions() {
        List<String> lines = Repo.read(".dockerignore").lines().map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines.get(0)).as(".dockerignore starts by ignoring everything").isEqualTo("*");
        List<String> exceptions = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line).as(".dockerignore: only exceptions after '*'").startsWith("!");
            exceptions.add(line.substring(1));
        }
        return exceptions;
    }
}
