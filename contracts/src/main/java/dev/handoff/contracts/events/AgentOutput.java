package dev.handoff.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One ACP session/update from the agent, unchanged. {@code kind} is the update's sessionUpdate value
 * (agent_message_chunk, agent_thought_chunk, tool_call, tool_call_update, plan, ...);
 * {@code sequence} counts from 1 per agent session, in the order the agent wrote the updates.
 */
public record AgentOutput(String agentSessionId, long sequence, String kind, JsonNode update)
    implements EventPayload {
}
