package dev.handoff.contracts.events;

/**
 * The agent could not be started, or died. Optional: {@code retryable} (true: transient, a start failed before
 * the prompt reached the agent for a reason a later attempt may not meet, e.g. the npm registry was unreachable;
 * false or null: permanent) and {@code failureKind}, a short stable name of the cause.
 */
public record AgentFailed(String deliveryId, String reason, Boolean retryable, String failureKind)
    implements EventPayload {

    /** Not classified, as published before classification existed. */
    public AgentFailed(String deliveryId, String reason) {
        this(deliveryId, reason, null, null);
    }
}
