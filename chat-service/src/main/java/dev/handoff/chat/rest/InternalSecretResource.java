package dev.handoff.chat.rest;

import dev.handoff.chat.config.SecretsConfig;
import dev.handoff.chat.service.SecretService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * For the gateway only: the secrets a task's node needs, in plaintext, over an internal call authenticated by the
 * internal token ({@code Authorization: Bearer <handoff.secrets.internal-token>}). Anyone else gets 404. The
 * gateway forwards them to the node over its authenticated WebSocket; they never go through Kafka.
 */
@Path("/internal/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class InternalSecretResource {

    public record TaskSecrets(Map<String, String> secrets) {
        @Override
        public String toString() {
            return "TaskSecrets" + secrets.keySet();
        }
    }

    @Inject
    SecretsConfig config;

    @Inject
    SecretService secrets;

    @GET
    @Path("{taskId}/secrets")
    public Uni<TaskSecrets> secretsOfTask(@PathParam("taskId") String taskId,
                                          @HeaderParam("Authorization") String authorization) {
        String expected = config.internalToken().filter(t -> !t.isBlank()).map(t -> "Bearer " + t).orElse(null);
        if (expected == null || authorization == null || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.notFound("not found");
        }
        return secrets.revealForTask(taskId).map(TaskSecrets::new);
    }
}
