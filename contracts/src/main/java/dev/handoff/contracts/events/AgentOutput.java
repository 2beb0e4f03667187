package dev.handoff.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One ACP session/update from the agent, unchanged, or consecutive text chunks of one agent message joined by the
 * node (their text in order in {@code update.content.text}). {@code kind} is the update's sessionUpdate value
 * (agent_message_chunk, agent_thought_chunk, tool_call, tool_call_update, plan, ...); {@code sequence} counts from 1
 * per agent session, in the order the agent wrote the updates: the event holds the updates {@code firstSequence}
 * to {@code sequence} (null {@code firstSequence}: just {@code sequence}).
 */
public record AgentOutput(String agentSessionId, long sequence, String kind, JsonNode update,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Long firstSequence)
    implements EventPayload {

    /** One update. */
    public AgentOutput(String agentSessionId, long sequence, String kind, JsonNode update) {
        this(agentSessionId, sequence, kind, update, null);
    }

    /** The sequence of the first update this event holds. */
    public long fromSequence() {
        return firstSequence == null ? sequence : firstSequence;
    }
}
