package dev.handoff.chat.component;

import dev.handoff.localstack.quarkus.RealInfrastructureResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The configurations chat-service's component tests run under, each on the real PostgreSQL and Kafka of
 * {@link RealInfrastructureResource}. Each profile boots Quarkus once for all the test classes that name it: add a
 * profile only for configuration a test cannot share (a timer), and keep the set small.
 */
final class ComponentProfiles {

    static final String OPERATOR_EMAIL = "operator@component.test";
    static final String OPERATOR_PASSWORD = "component-test-password";
    /** The shared service token chat-service's internal API answers (the gateway's, in a stack). */
    static final String INTERNAL_TOKEN = "component-internal-token";
    /** This installation's model endpoint for Gemini CLI (none for Claude Code). */
    static final String INSTALLATION_GEMINI_ENDPOINT = "https://installation-gateway.example/gemini";

    /** The one email domain a first OIDC sign-in makes accounts for (OidcSignUpTest; OIDC itself is off here). */
    static final String OIDC_ALLOWED_DOMAIN = "allowed.component.test";

    /** chat-service's secrets key for this test run (base64 of 32 random bytes), made here, never one from code. */
    private static final String SECRETS_KEY = randomKey();

    private ComponentProfiles() {
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** What every profile has: the operator account, local repositories allowed, the real infrastructure. */
    abstract static class Base implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                Map.entry("handoff.internal.token", INTERNAL_TOKEN),
                Map.entry("handoff.agents.model-endpoint.gemini-cli", INSTALLATION_GEMINI_ENDPOINT),
                Map.entry("handoff.auth.bootstrap.email", OPERATOR_EMAIL),
                Map.entry("handoff.auth.bootstrap.password", OPERATOR_PASSWORD),
                // Each test signs up users of its own.
                Map.entry("handoff.auth.signup-open", "true"),
                Map.entry("handoff.auth.oidc.allowed-email-domains", OIDC_ALLOWED_DOMAIN),
                Map.entry("handoff.projects.allow-file-urls", "true"),
                Map.entry("handoff.chat.turn-end.max-wait", "PT8S"),
                Map.entry("handoff.secrets.keys", "component:" + SECRETS_KEY),
                Map.entry("handoff.secrets.active-key", "component"),
                Map.entry("quarkus.log.category.\"org.apache.kafka\".level", "WARN"),
                // Only chat-service runs here: its peers are nowhere (never whatever listens on their usual ports).
                Map.entry("quarkus.rest-client.orchestrator.url", "http://127.0.0.1:1"),
                Map.entry("quarkus.rest-client.provisioner.url", "http://127.0.0.1:1"),
                Map.entry("quarkus.rest-client.gateway.url", "http://127.0.0.1:1"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealInfrastructureResource.class));
        }
    }

    /** chat-service as it runs by default (sign-up open, as in the test stacks). */
    public static final class Standard extends Base {
    }

    /**
     * Tight limits. Sign-in under a flood: 127.0.0.1 a trusted proxy (so the test's X-Forwarded-For plays many client
     * addresses), and one hashing slot with two waiting (so a flood meets 503s). Per-user caps of 2 open tasks,
     * 2 live streams and 2 API tokens (UserLimitsTest).
     */
    public static final class SignInFlood extends Base {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("handoff.auth.sign-in.trusted-proxies", "127.0.0.1");
            config.put("handoff.auth.sign-in.hashing.max-concurrent", "1");
            config.put("handoff.auth.sign-in.hashing.max-waiting", "2");
            config.put("handoff.auth.sign-in.throttle.per-account", "10");
            config.put("handoff.auth.sign-in.throttle.per-address", "50");
            config.put("handoff.limits.open-tasks-per-user", "2");
            config.put("handoff.limits.streams-per-user-per-replica", "2");
            config.put("handoff.limits.api-tokens-per-user", "2");
            return config;
        }
    }

    /** Outbox and inbox rows kept 2 seconds, purged every second. */
    public static final class ShortRetention extends Base {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("handoff.retention.outbox-published", "PT2S");
            config.put("handoff.retention.processed-events", "PT2S");
            config.put("handoff.retention.purge-interval", "1s");
            config.put("handoff.retention.purge-delay", "1s");
            return config;
        }
    }
}
