package dev.handoff.gateway.rest;

import dev.handoff.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * What a new node downloads before it can dial in: the vm-agent build and the agents file. Neither is secret, so
 * neither needs a token; what admits a node is its one-time token at hello.
 */
@Path("/nodes/bootstrap")
public class BootstrapResource {

    @Inject
    GatewayConfig config;

    @GET
    @Path("vm-agent.jar")
    public Response vmAgentJar() {
        return file(config.bootstrap().vmAgentJar(), "application/java-archive", "handoff.gateway.bootstrap.vm-agent-jar");
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
