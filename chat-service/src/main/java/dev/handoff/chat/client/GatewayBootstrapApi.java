package dev.handoff.chat.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The gateway's bootstrap files ({@code quarkus.rest-client.gateway.url}: its address inside the installation), public
 * like the files themselves. Used only through {@link GatewayBootstrap}.
 */
@RegisterRestClient(configKey = "gateway")
@Path("/nodes/bootstrap")
public interface GatewayBootstrapApi {

    /** The SHA-256 (hex) of the vm-agent jar the gateway serves now. */
    @GET
    @Path("vm-agent.jar.sha256")
    @Produces(MediaType.TEXT_PLAIN)
    Uni<String> vmAgentJarSha256();
}
