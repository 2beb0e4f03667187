package dev.handoff.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeSecrets;
import dev.handoff.gateway.config.GatewayConfig;
import dev.handoff.servicekit.internal.InternalToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches the secrets a task's node needs (git token, agent API key) and the agents' model endpoints from
 * chat-service's internal endpoint
 * ({@code GET <secrets-url>/internal/tasks/{id}/secrets}, authenticated by the internal token), right before a
 * command goes to the node. They travel on only over the node's WebSocket; never on Kafka, never logged.
 */
@ApplicationScoped
public class TaskSecretsClient {

    private static final Logger LOG = Logger.getLogger(TaskSecretsClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Inject
    GatewayConfig config;

    /** The shared service token chat-service's internal API answers. */
    @ConfigProperty(name = InternalToken.CONFIG_KEY)
    Optional<String> internalToken;

    /** chat-service did not give a task's secrets; the message says why (never a secret). */
    public static final class SecretsUnavailable extends RuntimeException {
        SecretsUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The task owner's secrets; none when no secrets URL is configured. Fails with {@link SecretsUnavailable} when
     * chat-service does not answer or answers otherwise than 200: the command must not go out without the secrets
     * it needs (a private clone would then fail with a misleading git error), so the caller reports the real
     * cause.
     */
    public Uni<NodeSecrets> secretsOf(String taskId) {
        if (config.secretsUrl().isEmpty() || internalToken.isEmpty()) {
            return Uni.createFrom().item(NodeSecrets.none());
        }
        String base = config.secretsUrl().get().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/internal/tasks/" + taskId + "/secrets"))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + internalToken.get())
            .header("Accept", "application/json")
            .GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
            .map(response -> {
                if (response.statusCode() != 200) {
                    throw new SecretsUnavailable("chat-service answered HTTP " + response.statusCode());
                }
                return parse(response.body());
            })
            .invoke(secrets -> LOG.debugf("task %s: %s", taskId, secrets))
            .onFailure(failure -> !(failure instanceof SecretsUnavailable)).transform(failure ->
                new SecretsUnavailable("chat-service did not answer (" + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")"))
            .onFailure().invoke(failure -> LOG.warnf("task %s: the task's secrets could not be fetched: %s",
                taskId, failure.getMessage()));
    }

    private static NodeSecrets parse(String body) {
        try {
            JsonNode answer = Json.MAPPER.readTree(body);
            return new NodeSecrets(textFields(answer.path("secrets")), textFields(answer.path("modelEndpoints")));
        } catch (IOException e) {
            throw new SecretsUnavailable("chat-service's secrets answer is not JSON");
        }
    }

    private static Map<String, String> textFields(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        return values;
    }
}
