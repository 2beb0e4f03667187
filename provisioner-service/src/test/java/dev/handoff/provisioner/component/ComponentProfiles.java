package dev.handoff.provisioner.component;

import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The configurations provisioner-service's component tests run under, each on the real PostgreSQL and Kafka of
 * {@link RealInfrastructureResource}. Each profile boots Quarkus (and the infrastructure) once for all the test
 * classes that name it: add one only for configuration a test cannot share.
 */
final class ComponentProfiles {

    /** The internal service token the tests call the provisioner's API with. */
    static final String INTERNAL_TOKEN = "component-test-internal-token";

    private ComponentProfiles() {
    }

    /**
     * Where local nodes are started: {@link #FAKE_JAVA} stands in for java, writes the environment a node's vm-agent
     * would get to {@code <node folder>/env} and exits (so the node fails as a vm-agent that never connected).
     */
    static final Path NODES_DIR = temporaryDirectory();

    /** The stand-in for java that local nodes are "started" with. */
    static final Path FAKE_JAVA = NODES_DIR.resolve("fake-java");

    /** The provisioner as it runs by default (local nodes for operators only), on the real infrastructure. */
    public static class Standard implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                "handoff.internal.token", INTERNAL_TOKEN,
                "handoff.provisioner.local.work-dir", NODES_DIR.toString(),
                "handoff.provisioner.local.vm-agent-jar", FAKE_JAVA.toString(),
                "handoff.provisioner.local.java", FAKE_JAVA.toString(),
                "quarkus.log.category.\"org.apache.kafka\".level", "WARN");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealInfrastructureResource.class));
        }
    }

    /** No node of their own for anyone (quota 0): a task gets a machine its user attached, or none. */
    public static final class NoNodesOfTheirOwn extends Standard {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("handoff.provisioner.quota.max-nodes-per-owner", "0");
            return config;
        }
    }

    private static Path temporaryDirectory() {
        try {
            // A fixed path: the test classes and the profile may load this class in different class loaders.
            Path dir = Files.createDirectories(Path.of("target", "component-nodes").toAbsolutePath());
            Path java = dir.resolve("fake-java");
            Files.writeString(java, "#!/bin/sh\nenv > \"$HOME/env\"\nexit 0\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
