package dev.handoff.provisioner.component;

import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.quarkus.test.junit.QuarkusTestProfile;

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

    /** The provisioner as it runs by default, on the real infrastructure. */
    public static class Standard implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                "handoff.internal.token", INTERNAL_TOKEN,
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
}
