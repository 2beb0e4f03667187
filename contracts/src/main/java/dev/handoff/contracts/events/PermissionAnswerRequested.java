package dev.handoff.contracts.events;

/**
 * Command to the node: answer the pending permission request {@code requestId} of the agent of delivery
 * {@code deliveryId} with option {@code optionId}. A request no longer pending there is left alone.
 */
public record PermissionAnswerRequested(String deliveryId, String requestId, String optionId)
    implements EventPayload {
}
