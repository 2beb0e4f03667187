package dev.handoff.chat.service;

import dev.handoff.chat.rest.ApiException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

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
    }

    @Inject
    AgentsConfig config;

    /** The agents users may choose, in the configured order. */
    public List<String> available() {
        return List.copyOf(config.available());
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
