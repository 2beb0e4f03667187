package dev.handoff.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Submits one task through the public API and polls it until its turn ends, taking the times on the way. */
final class TaskProbe {

    static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    static final String RUNNING = "running";
    static final String TURN_ENDED = "turn_ended";
    static final String FAILED = "failed";

    private final HandoffClient api;
    private final String projectId;

    TaskProbe(HandoffClient api, String projectId) {
        this.api = api;
        this.projectId = projectId;
    }

    /** Runs task {@code index}; never throws for the task's own failures, they are in the sample. */
    TaskSample run(int index, String description, Duration limit) {
        HandoffClient.Accepted accepted;
        try {
            accepted = api.submitTask(projectId, description);
        } catch (RuntimeException e) {
            return new TaskSample(index, null, null, null, null, null, null, null, List.of(), "submit: " + e.getMessage());
        }
        long start = accepted.acceptedAtNanos();
        long deadline = start + limit.toNanos();
        Duration agentStartedSeen = null;
        Duration firstOutputSeen = null;
        JsonNode task = null;
        String failure = null;
        try {
            while (true) {
                task = api.task(accepted.taskId());
                long taskSeen = System.nanoTime();
                if (agentStartedSeen == null && step(task, RUNNING) != null) {
                    agentStartedSeen = Duration.ofNanos(taskSeen - start);
                }
                if (firstOutputSeen == null) {
                    JsonNode page = api.messages(accepted.sessionId(), 1, 20);
                    long pageSeen = System.nanoTime();
                    for (JsonNode message : page.path("messages")) {
                        if (!"user".equals(message.path("role").asText())) {
                            firstOutputSeen = Duration.ofNanos(pageSeen - start);
                            break;
                        }
                    }
                }
                String status = task.path("status").asText();
                if (FAILED.equals(status)) {
                    failure = "failed: " + task.path("failureReason").asText();
                    break;
                }
                if (TURN_ENDED.equals(status) && firstOutputSeen != null) {
                    return sample(index, accepted, task, agentStartedSeen, firstOutputSeen,
                        Duration.ofNanos(taskSeen - start), null);
                }
                if (System.nanoTime() > deadline) {
                    failure = "no turn_ended within " + limit.toSeconds() + " s (status " + status + ")";
                    break;
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (RuntimeException e) {
            failure = "polling: " + e.getMessage();
        }
        return sample(index, accepted, task, agentStartedSeen, firstOutputSeen, null, failure);
    }

    private static TaskSample sample(int index, HandoffClient.Accepted accepted, JsonNode task,
                                     Duration agentStartedSeen, Duration firstOutputSeen, Duration turnEndedSeen,
                                     String failure) {
        Instant createdAt = task == null ? null : instant(task.path("createdAt"));
        JsonNode running = task == null ? null : step(task, RUNNING);
        Duration agentStartedServer = running == null || createdAt == null ? null
            : Duration.between(createdAt, instant(running.path("at")));
        return new TaskSample(index, accepted.taskId(), accepted.postRoundTrip(), agentStartedServer,
            agentStartedSeen, firstOutputSeen, turnEndedSeen, createdAt, steps(task), failure);
    }

    private static JsonNode step(JsonNode task, String status) {
        for (JsonNode entry : task.path("timeline")) {
            if (status.equals(entry.path("status").asText())) {
                return entry;
            }
        }
        return null;
    }

    private static List<TaskSample.Step> steps(JsonNode task) {
        List<TaskSample.Step> steps = new ArrayList<>();
        if (task != null) {
            for (JsonNode entry : task.path("timeline")) {
                steps.add(new TaskSample.Step(entry.path("status").asText(), entry.path("event").asText(),
                    instant(entry.path("at"))));
            }
        }
        return steps;
    }

    /** An ISO-8601 string, or epoch seconds with a fraction if the API was configured to write numbers. */
    private static Instant instant(JsonNode value) {
        if (value.isTextual()) {
            return Instant.parse(value.asText());
        }
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        return null;
    }
}
