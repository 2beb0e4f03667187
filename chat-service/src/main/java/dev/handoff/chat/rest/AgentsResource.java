package dev.handoff.chat.rest;

import dev.handoff.chat.service.AgentCatalog;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The agents this Handoff offers for projects and tasks, so the web page's project form offers exactly them. */
@Path("/api/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentsResource {

    /** {@code available} in the configured order; {@code defaultAgent} is what a project gets when it names none. */
    public record AgentsView(List<String> available, String defaultAgent) {
    }

    @Inject
    AgentCatalog agents;

    @GET
    public AgentsView agents() {
        return new AgentsView(agents.available(), agents.defaultAgent());
    }
}
