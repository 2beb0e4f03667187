package dev.handoff.cli;

import dev.handoff.contracts.vocabulary.TaskStatus;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Prints a task's steps as they happen (node ready, workspace ready, agent started, ...), one line each, named as
 * the web page's timeline names them, with the time since the task was created, the step's detail and node. It
 * reads the {@code timeline} of {@code GET /api/tasks/{id}} and prints only the entries it has not printed yet.
 */
final class StepPrinter {

    private final PrintWriter err;
    private final Set<String> statusesSeen = new HashSet<>();
    private int printed;

    StepPrinter(PrintWriter err) {
        this.err = err;
    }

    /** Marks the task's steps so far as seen (e.g. before a follow-up): only later ones are printed. */
    StepPrinter startAfter(JsonNode task) {
        for (JsonNode step : task.path("timeline")) {
            statusesSeen.add(step.path("status").asText());
            printed++;
        }
        return this;
    }

    /** Prints the timeline entries of {@code task} not printed yet. */
    void printNew(JsonNode task) {
        JsonNode timeline = task.path("timeline");
        Instant created = timeline.isEmpty() ? null : instant(timeline.get(0).path("at").asText(""));
        for (int i = printed; i < timeline.size(); i++) {
            err.println(line(timeline.get(i), created));
        }
        printed = Math.max(printed, timeline.size());
        err.flush();
    }

    private String line(JsonNode step, Instant created) {
        String status = step.path("status").asText();
        String event = step.path("event").asText("");
        boolean first = statusesSeen.add(status);
        StringBuilder line = new StringBuilder("[step] ");
        if (first) {
            // What a status's first entry means: the step before it is done ("Node ready"), as the web page says.
            line.append(TaskStatus.byWireName(status).map(TaskStatus::label).orElse(status.replace('_', ' ')));
        } else {
            line.append(status.replace('_', ' ')).append(event.isEmpty() ? "" : " (" + event + ")");
        }
        Instant at = instant(step.path("at").asText(""));
        if (created != null && at != null) {
            line.append(String.format(Locale.ROOT, "  +%.1f s", Duration.between(created, at).toMillis() / 1000.0));
        }
        if (step.hasNonNull("detail") && !step.path("detail").asText().isBlank()) {
            line.append("  ").append(step.path("detail").asText());
        }
        if (first && TaskStatus.CREATING_WORKSPACE.wireName().equals(status) && step.hasNonNull("nodeId")) {
            line.append("  on ").append(step.path("nodeId").asText());
        }
        return line.toString();
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
