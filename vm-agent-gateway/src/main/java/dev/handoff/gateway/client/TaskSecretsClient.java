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

    /**
     * The task owner's secrets; none when no secrets URL is configured, and none (with a warning) when chat-service
     * cannot answer: a task then still runs while chat-service is down (a public repository clones, the agent uses
     * the node's configured key), and a private repository's clone fails with git's authentication error.
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
                    throw new IllegalStateException("chat-service answered " + response.statusCode()
                        + " for the secrets of task " + taskId);
                }
                return parse(response.body());
            })
            .invoke(secrets -> LOG.debugf("task %s: %s", taskId, secrets))
            .onFailure().recoverWithItem(failure -> {
                LOG.warnf("task %s: no secrets for the node, chat-service did not give them: %s", taskId,
                    failure.getMessage());
                return NodeSecrets.none();
            });
    }

    private static NodeSecrets parse(String body) {
        try {
            JsonNode answer = Json.MAPPER.readTree(body);
            return new NodeSecrets(textFields(answer.path("secrets")), textFields(answer.path("modelEndpoints")));
        } catch (IOException e) {
            throw new IllegalStateException("chat-service's secrets answer is not JSON");
        }
    }

    private static Map<String, String> textFields(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        return values;
    }
}
