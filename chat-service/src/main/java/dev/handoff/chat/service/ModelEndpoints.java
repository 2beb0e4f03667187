package dev.handoff.chat.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** Which model endpoint each agent of a task uses: the user's own setting over the installation's. */
public final class ModelEndpoints {

    private ModelEndpoints() {
    }

    /**
     * @param installation agent name to the endpoint chat-service is configured with
     *                     ({@code handoff.agents.model-endpoint.<agent>})
     * @param user         agent name to the endpoint the task's owner set in their settings
     * @return agent name to the endpoint its process gets; an agent with neither is absent (it uses its default or
     *     the node's agents file)
     */
    public static Map<String, String> effective(Map<String, String> installation, Map<String, String> user) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        installation.forEach((agent, url) -> {
            if (url != null && !url.isBlank()) {
                endpoints.put(agent, url.trim());
            }
        });
        user.forEach((agent, url) -> {
            if (url != null && !url.isBlank()) {
                endpoints.put(agent, url.trim());
            }
        });
        return endpoints;
    }
}
