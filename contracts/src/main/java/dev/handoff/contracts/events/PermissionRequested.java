package dev.handoff.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The agent asked the user's permission (ACP session/request_permission) and waits for the answer.
 * {@code requestId} names this request (unique in the task); {@code toolCall} and {@code options}
 * ({@code [{optionId, name, kind}]}) are the agent's, unchanged.
 */
public record PermissionRequested(String deliveryId, String agentSessionId, String requestId, JsonNode toolCall,
                                  JsonNode options) implements EventPayload {
}
