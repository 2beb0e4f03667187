package dev.handoff.provisioner.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import dev.handoff.provisioner.config.ProvisionerConfig;
import dev.handoff.servicekit.internal.InternalToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A user's own cloud API token, read from chat-service's secrets store over its internal API
 * ({@code GET /internal/users/{ownerId}/cloud-tokens/hetzner_token}, the shared service token). Blocking: call it
 * off the event loop. Never logged.
 */
@ApplicationScoped
public class UserCloudTokens {

    private static final Logger LOG = Logger.getLogger(UserCloudTokens.class);

    @Inject
    ProvisionerConfig config;

    @ConfigProperty(name = InternalToken.CONFIG_KEY)
    Optional<String> internalToken;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The user's Hetzner token; empty when the user has none or the secrets store cannot be asked. */
    public Optional<String> hetznerToken(String ownerId) {
        Optional<String> url = config.secretsUrl();
        if (ownerId == null || url.isEmpty() || internalToken.isEmpty()) {
            return Optional.empty();
        }
        URI uri = URI.create(url.get().replaceAll("/+$", "") + "/internal/users/"
            + URLEncoder.encode(ownerId, StandardCharsets.UTF_8) + "/cloud-tokens/hetzner_token");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Authorization", InternalToken.bearer(internalToken.get())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                LOG.warnf("the secrets store answered %d for %s's Hetzner token", response.statusCode(), ownerId);
                return Optional.empty();
            }
            JsonNode body = Json.MAPPER.readTree(response.body());
            return Optional.ofNullable(body.path("value").textValue()).filter(token -> !token.isBlank());
        } catch (IOException e) {
            LOG.warnf("cannot ask the secrets store for %s's Hetzner token: %s", ownerId, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
