package dev.handoff.chat.rest;

import dev.handoff.chat.service.ModelEndpointService;
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
 * For the gateway only: the secrets a task's node needs, in plaintext, and the agents' model endpoints, over an internal call authenticated by the
 * shared internal service token ({@code Authorization: Bearer <handoff.internal.token>}, checked by
 * {@link InternalApi}'s filter; user sign-in does not apply here). Anyone else gets 401. The
 * gateway forwards them to the node over its authenticated WebSocket; they never go through Kafka.
 */
@InternalApi
@Path("/internal/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class InternalSecretResource {

    /**
     * @param secrets        secret name to plaintext
     * @param modelEndpoints agent name to its model endpoint for this task (the owner's over the installation's)
     */
    public record TaskSecrets(Map<String, String> secrets, Map<String, String> modelEndpoints) {
        @Override
        public String toString() {
            return "TaskSecrets" + secrets.keySet() + ", model endpoints for " + modelEndpoints.keySet();
        }
    }

    @Inject
    SecretService secrets;

    @Inject
    ModelEndpointService modelEndpoints;

    @GET
    @Path("{taskId}/secrets")
    public Uni<TaskSecrets> secretsOfTask(@PathParam("taskId") String taskId) {
        return secrets.revealForTask(taskId).flatMap(values -> modelEndpoints.forTask(taskId)
            .map(endpoints -> new TaskSecrets(values, endpoints)));
    }
}
