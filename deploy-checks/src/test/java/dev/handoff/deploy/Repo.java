package dev.handoff.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The Handoff checkout these checks read: the repository root above this module. */
final class Repo {

    /** The four services with the port each listens on in its image (quarkus.http.port). */
    static final List<String> SERVICES = List.of("chat-service", "orchestrator-service", "provisioner-service",
        "vm-agent-gateway");

    static final Path ROOT = findRoot();

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <service>/src/main/resources/application.properties} as a map. */
    static Map<String, String> applicationProperties(String service) {
        return Properties.read(path(service + "/src/main/resources/application.properties"));
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("contracts"))
                && Files.isDirectory(dir.resolve("deploy-checks"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("not inside a Handoff checkout: " + Path.of("").toAbsolutePath());
    }

    /** Reads .properties files (java.util.Properties rules) into an ordered map. */
    static final class Properties {
        private Properties() {
        }

        static Map<String, String> read(Path file) {
            java.util.Properties properties = new java.util.Properties();
            try (var reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> map = new java.util.TreeMap<>();
            properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
            return map;
        }
    }
}
