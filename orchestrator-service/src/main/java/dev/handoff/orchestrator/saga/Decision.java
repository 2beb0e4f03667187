package dev.handoff.orchestrator.saga;

import dev.handoff.contracts.events.EventPayload;

import java.util.ArrayList;
import java.util.List;

/**
 * What the saga decided for one incoming event: the next state and the commands and events to send.
 * An ignored event (stale, duplicate, or not for this step) has no next state.
 *
 * @param next         the state after the event, or null when the event is ignored
 * @param outgoing     payloads to publish, caused by the incoming event, in order
 * @param note         why an event was ignored, or what the transition means (for logs and the transition row)
 * @param statusReason what the user is told about the new status (a failure or stall reason, where the agent
 *                     runs, a retry), or null
 * @param retryAttempt the attempt a transiently failed step will be retried with, or null when this is no retry
 */
public record Decision(SagaState next, List<EventPayload> outgoing, String note, String statusReason,
                       Integer retryAttempt) {

    public static Decision ignore(String why) {
        return new Decision(null, List.of(), why, null, null);
    }

    public static Decision moveTo(SagaState next, String note, EventPayload... outgoing) {
        return new Decision(next, List.of(outgoing), note, null, null);
    }

    public Decision tellingUser(String reason) {
        return new Decision(next, outgoing, note, reason, retryAttempt);
    }

    /** The same decision, marked as scheduling attempt {@code attempt} of a failed step. */
    public Decision retrying(int attempt) {
        return new Decision(next, outgoing, note, statusReason, attempt);
    }

    /** The same decision, also publishing {@code more} after what it already sends. */
    public Decision alsoSending(EventPayload... more) {
        List<EventPayload> all = new ArrayList<>(outgoing);
        all.addAll(List.of(more));
        return new Decision(next, List.copyOf(all), note, statusReason, retryAttempt);
    }

    public boolean ignored() {
        return next == null;
    }
}
