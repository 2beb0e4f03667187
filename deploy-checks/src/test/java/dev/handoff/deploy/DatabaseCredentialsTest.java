package dev.handoff.deploy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No service has a database login by default in production (issue 11 item 15): {@code postgres}/{@code postgres}
 * only in the {@code dev} and {@code test} profiles; a packaged service started without
 * {@code QUARKUS_DATASOURCE_USERNAME} and {@code QUARKUS_DATASOURCE_PASSWORD} refuses to start, naming both, before it
 * connects to anything.
 */
class DatabaseCredentialsTest {

    private static final String USERNAME = "quarkus.datasource.username";
    private static final String PASSWORD = "quarkus.datasource.password";

    @Test
    void theDatabaseLoginHasDefaultsOnlyInTheDevAndTestProfiles() {
        for (String service : Repo.SERVICES) {
            Map<String, String> properties = Repo.applicationProperties(service);
            assertThat(properties).as(service + ": no database login outside the dev and test profiles")
                .doesNotContainKeys(USERNAME, PASSWORD);
            for (String profile : new String[] {"%dev.", "%test."}) {
                assertThat(properties).as(service + " " + profile)
                    .containsEntry(profile + USERNAME, "postgres").containsEntry(profile + PASSWORD, "postgres");
            }
            ServiceSettings settings = ServiceSettings.of(service);
            assertThat(settings.properties()).as(service + " maps the login (service-kit DatabaseCredentials)")
                .contains(USERNAME, PASSWORD);
            assertThat(settings.defaultOf(USERNAME)).as(service).isEmpty();
            assertThat(settings.defaultOf(PASSWORD)).as(service).isEmpty();
        }
    }

    /** The packaged services (as the images run them), each with nothing but an unreachable database and broker. */
    @Test
    void eachPackagedServiceRefusesToStartWithoutADatabaseLoginNamingIt() throws Exception {
        Map<String, Process> started = new LinkedHashMap<>();
        Map<String, Path> logs = new LinkedHashMap<>();
        for (String service : Repo.SERVICES) {
            Path jar = Repo.path(service + "/target/quarkus-app/quarkus-run.jar");
            assertThat(jar).as("build first: ./mvnw -B package").isRegularFile();
            Path log = Files.createTempFile("handoff-" + service + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME"));
            // Were it to start, it would reach nothing: no database, no broker, no port of anyone's.
            env.put("QUARKUS_HTTP_PORT", "0");
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:1/nowhere");
            env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
            started.put(service, builder.start());
            logs.put(service, log);
        }
        try {
            for (Map.Entry<String, Process> entry : started.entrySet()) {
                String service = entry.getKey();
                Process process = entry.getValue();
                boolean exited = process.waitFor(90, TimeUnit.SECONDS);
                String output = Files.readString(logs.get(service), StandardCharsets.UTF_8);
                assertThat(exited).as(service + " should have refused to start:\n" + output).isTrue();
                assertThat(process.exitValue()).as(service + ":\n" + output).isNotZero();
                assertThat(output).as(service).contains(USERNAME).contains(PASSWORD)
                    .doesNotContain("Listening on");
            }
        } finally {
            started.values().forEach(Process::destroyForcibly);
            for (Path log : logs.values()) {
                Files.deleteIfExists(log);
            }
        }
    }
}
