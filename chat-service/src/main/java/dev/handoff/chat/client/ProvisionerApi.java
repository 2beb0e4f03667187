package dev.handoff.chat.client;

import dev.handoff.servicekit.internal.InternalToken;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** provisioner-service's nodes API ({@code quarkus.rest-client.provisioner.url}). Used only through {@link ProvisionerNodes}. */
@RegisterRestClient(configKey = "provisioner")
@Path("/api/provisioner")
@ClientHeaderParam(name = "Authorization", value = "{serviceAuthorization}")
public interface ProvisionerApi {

    /** The provisioner's API is internal: every call carries the shared service token. */
    default String serviceAuthorization() {
        return ConfigProvider.getConfig().getOptionalValue(InternalToken.CONFIG_KEY, String.class)
            .map(InternalToken::bearer).orElse("");
    }

    @GET
    @Path("nodes")
    Uni<List<NodeView>> list(@QueryParam("ownerId") String ownerId, @QueryParam("limit") Integer limit,
                             @QueryParam("after") String after);

    @DELETE
    @Path("nodes/{id}")
    Uni<NodeView> delete(@PathParam("id") String id, @QueryParam("ownerId") String ownerId);

    @GET
    @Path("tasks/{taskId}/node")
    Uni<TaskNodeView> nodeOfTask(@PathParam("taskId") String taskId);

    @POST
    @Path("nodes/attach")
    Uni<AttachTicket> attach(@QueryParam("ownerId") String ownerId);
}
