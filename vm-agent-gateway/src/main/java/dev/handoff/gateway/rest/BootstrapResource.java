package dev.handoff.gateway.rest;

import dev.handoff.gateway.config.GatewayConfig;
import dev.handoff.gateway.service.BootstrapTokenExchange;
import dev.handoff.gateway.service.FileDigest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * What a new node downloads before it can dial in: the vm-agent build (and its SHA-256, which chat-service puts in
 * the attach answer) and the agents file (neither is secret, so neither needs a token; what admits a node is its
 * token at hello), and, for a cloud VM, its node token in exchange for the bootstrap token from its user_data.
 */
@Path("/nodes/bootstrap")
public class BootstrapResource {

    @Inject
    GatewayConfig config;

    @Inject
    BootstrapTokenExchange exchange;

    private final FileDigest vmAgentJarDigest = new FileDigest();

    /**
     * A cloud VM's bootstrap script trades its one-time bootstrap token ({@code Authorization: Bearer}) for its node
     * token: {@code 200 text/plain} with the token, once; {@code 401} for an unknown, used or expired token.
     */
    @POST
    @Path("node-token")
    public Uni<Response> nodeToken(@HeaderParam("Authorization") String authorization) {
        String token = authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring("Bearer ".length()) : null;
        return exchange.exchange(token).map(result -> result.refusal() != null
            ? Response.status(401).type("application/json")
                .entity(Map.of("status", 401, "message", result.refusal())).build()
            : Response.ok(result.nodeToken(), "text/plain").build());
    }

    @GET
    @Path("vm-agent.jar")
    public Response vmAgentJar() {
        return file(config.bootstrap().vmAgentJar(), "application/java-archive", "handoff.gateway.bootstrap.vm-agent-jar");
    }

    /**
     * The SHA-256 of the vm-agent served at {@code vm-agent.jar}, as 64 lower-case hex digits ({@code text/plain}):
     * computed from the file served, so the attach command can check what it downloaded. 404 when no jar is served.
     */
    @GET
    @Path("vm-agent.jar.sha256")
    public Response vmAgentJarSha256() {
        Optional<java.nio.file.Path> jar = config.bootstrap().vmAgentJar();
        if (jar.isEmpty() || !Files.isRegularFile(jar.get())) {
            return vmAgentJar();
        }
        return Response.ok(vmAgentJarDigest.sha256(jar.get()), "text/plain").build();
    }

    @GET
    @Path("agents.json")
    public Response agentsFile() {
        return file(config.bootstrap().agentsFile(), "application/json", "handoff.gateway.bootstrap.agents-file");
    }

    private static Response file(Optional<java.nio.file.Path> path, String type, String setting) {
        if (path.isEmpty() || !Files.isRegularFile(path.get())) {
            return Response.status(404).type("application/json")
                .entity(Map.of("status", 404, "message", "this gateway serves no such file (" + setting + ")"))
                .build();
        }
        return Response.ok(path.get().toFile(), type).build();
    }
}
