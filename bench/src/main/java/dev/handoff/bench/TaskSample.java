package dev.handoff.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one task measured. Client durations run from the client's clock at the moment the POST returned 202;
 * server durations come from the task API's own timestamps. A duration is null when the task never got there.
 *
 * @param postRoundTrip      POST /api/projects/{id}/tasks, request sent to 202 received
 * @param agentStartedServer the timeline's {@code running} entry's {@code at} (the AgentStarted event's time)
 *                           minus the task's {@code createdAt}
 * @param agentStartedSeen   202 to the first poll of GET /api/tasks/{id} whose timeline has the running step
 * @param firstOutputSeen    202 to the first poll of GET /api/sessions/{sid}/messages?after=1 holding a message
 *                           whose role is not user
 * @param turnEndedSeen      202 to the first poll that saw status turn_ended
 * @param createdAt          the task's createdAt (server)
 * @param steps              the task's timeline as last polled
 * @param failure            why the task does not count (failed, timed out, API error); null if it completed
 */
record TaskSample(int index, String taskId, Duration postRoundTrip, Duration agentStartedServer,
                  Duration agentStartedSeen, Duration firstOutputSeen, Duration turnEndedSeen, Instant createdAt,
                  List<Step> steps, String failure) {

    /** One timeline entry: the status reached, the event that caused it, the event's time. */
    record Step(String status, String event, Instant at) {
    }

    boolean completed() {
        return failure == null;
    }
}
