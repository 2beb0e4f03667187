package dev.handoff.chat.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.chat.rest.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * The one way chat-service reaches the provisioner's nodes API: a 404 becomes the API's 404, the provisioner being
 * away becomes a 503 naming it; reads are retried briefly.
 */
@ApplicationScoped
public class ProvisionerNodes {

    private static final Logger LOG = Logger.getLogger(ProvisionerNodes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    @RestClient
    ProvisionerApi api;

    /**
     * At most {@code limit} of the owner's nodes, newest first, those after node {@code after} when given; a 400
     * naming {@code after} when that is not one of the owner's nodes.
     */
    public Uni<List<NodeView>> list(String ownerId, int limit, String after) {
        return retried(api.list(ownerId, limit, after)).onFailure().transform(f -> status(f) == 400
            ? ApiException.invalid("after", "no node " + after + " of yours to list after")
            : translate(f, "nodes"));
    }

    public Uni<NodeView> delete(String nodeId, String ownerId) {
        return api.delete(nodeId, ownerId).onFailure().transform(f -> translate(f, "node " + nodeId));
    }

    /** A ticket; the provisioner's 429 (the owner at an attach cap, nothing made) as the API's 429, its reason kept. */
    public Uni<AttachTicket> attach(String ownerId) {
        return api.attach(ownerId).onFailure().transform(f -> status(f) == 429
            ? new ApiException(429, null, reason(f, "limit reached: no more machines may be attached now"))
            : translate(f, "attach"));
    }

    /** The {@code message} of the provisioner's JSON error answer, or {@code otherwise}. */
    private static String reason(Throwable failure, String otherwise) {
        try {
            String body = ((WebApplicationException) failure).getResponse().readEntity(String.class);
            String message = JSON.readTree(body).path("message").asText("");
            return message.isBlank() ? otherwise : message;
        } catch (RuntimeException | java.io.IOException e) {
            LOG.debugf("provisioner's answer unreadable: %s", e.toString());
            return otherwise;
        }
    }

    /** The task's node and its cost, or null when it has none or the provisioner cannot tell now. */
    public Uni<TaskNodeView> nodeOfTask(String taskId) {
        return api.nodeOfTask(taskId).onFailure().recoverWithItem(failure -> {
            if (status(failure) != 404) {
                LOG.debugf("task %s: node not known now: %s", taskId, failure.getMessage());
            }
            return null;
        });
    }

    private static <T> Uni<T> retried(Uni<T> call) {
        return call.onFailure(f -> status(f) >= 500 || status(f) < 0).retry()
            .withBackOff(Duration.ofMillis(100)).atMost(2);
    }

    private static Throwable translate(Throwable failure, String what) {
        int status = status(failure);
        if (status == 404) {
            return ApiException.notFound("no " + what);
        }
        LOG.warnf("provisioner call for %s failed: %s", what, failure.toString());
        return new ApiException(503, null, "the provisioner is not reachable; try again");
    }

    private static int status(Throwable failure) {
        return failure instanceof WebApplicationException web ? web.getResponse().getStatus() : -1;
    }
}
