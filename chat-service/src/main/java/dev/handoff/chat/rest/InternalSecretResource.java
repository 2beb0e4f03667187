package dev.handoff.chat.rest;

import dev.handoff.chat.service.SecretService;
import dev.handoff.servicekit.internal.InternalApi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * For the gateway only: the secrets a task's node needs, in plaintext, over an internal call authenticated by the
 * shared internal service token ({@code Authorization: Bearer <handoff.internal.token>}, checked by
 * {@link InternalApi}'s filter; user sign-in does not apply here). Anyone else gets 401. The
 * gateway forwards them to the node over its authenticated WebSocket; they never go through Kafka.
 */
@InternalApi
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
    SecretService secrets;

    @GET
    @Path("{taskId}/secrets")
    public Uni<TaskSecrets> secretsOfTask(@PathParam("taskId") String taskId) {
        return secrets.revealForTask(taskId).map(TaskSecrets::new);
    }
}
