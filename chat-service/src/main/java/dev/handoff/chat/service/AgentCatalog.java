package dev.handoff.chat.service;

import dev.handoff.chat.rest.ApiException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/** The agents users may choose for their projects and tasks. */
@ApplicationScoped
public class AgentCatalog {

    /** Agent settings of chat-service. */
    @ConfigMapping(prefix = "handoff.agents")
    public interface AgentsConfig {

        /**
         * Names of the agents nodes can run; each must be an agent in the nodes' agents file (vm-agent README):
         * Claude Code, Codex (codex-acp) and Gemini CLI.
         */
        @WithDefault("claude-code,codex,gemini-cli")
        List<String> available();

        /** The agent a project gets when it names none. */
        @WithDefault("claude-code")
        String defaultAgent();

        /**
         * This installation's model endpoint per agent, a base URL, e.g.
         * {@code handoff.agents.model-endpoint.claude-code=https://llm-gateway.example.com/anthropic} (a model gateway
         * or proxy all users' agents go through). It reaches the agent process as the variable the agent reads
         * ({@code AgentModelEndpoints}: Claude Code's {@code ANTHROPIC_BASE_URL}, Gemini CLI's
         * {@code GOOGLE_GEMINI_BASE_URL}); a user's own setting ({@code PUT /api/settings/model-endpoints/{agent}})
         * overrides it. None: the agent's default endpoint (or the node's agents file).
         */
        Map<String, String> modelEndpoint();
    }

    @Inject
    AgentsConfig config;

    /** The agents users may choose, in the configured order. */
    public List<String> available() {
        return List.copyOf(config.available());
    }

    /** This installation's model endpoints, agent name to base URL. */
    public Map<String, String> installationModelEndpoints() {
        return Map.copyOf(config.modelEndpoint());
    }

    public String defaultAgent() {
        return config.defaultAgent();
    }

    public String require(String field, String agent) {
        if (agent == null || !config.available().contains(agent.trim())) {
            throw ApiException.invalid(field, field + " must be one of " + config.available() + ", got '" + agent + "'");
        }
        return agent.trim();
    }
}
