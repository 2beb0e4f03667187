package dev.handoff.cli;

import dev.handoff.contracts.vocabulary.TaskStatus;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Prints a session's messages as they arrive until the task's turn ends: polls
 * {@code GET /api/sessions/{id}/messages?after=} from the oldest message not yet final, since a message can change
 * after it appeared (the assistant's text grows, a tool call's status moves on), and prints only what is new of
 * each. The turn is over when the task's timeline holds one more {@code turn_ended} than before (or the task
 * failed or was cancelled); the messages are then read once more, so the end of the reply is printed too.
 */
class TurnPrinter {

    static final int PAGE = 200;

    private final ApiClient api;
    private final PrintWriter out;
    private final Duration pollEvery;
    private StepPrinter steps;

    /** Per seq: how many characters of its content are printed. */
    private final Map<Long, Integer> printedChars = new HashMap<>();
    /** Per seq: the last printed status of a tool call or permission request. */
    private final Map<Long, String> printedState = new HashMap<>();
    private long after;

    TurnPrinter(ApiClient api, PrintWriter out, Duration pollEvery) {
        this.api = api;
        this.out = out;
        this.pollEvery = pollEvery;
    }

    /** Marks everything up to {@code seq} as seen (e.g. the messages before a follow-up). */
    TurnPrinter startAfter(long seq) {
        this.after = seq;
        return this;
    }

    /** Prints the task's steps too (on their own writer, stderr), as they appear in its timeline. */
    TurnPrinter withSteps(StepPrinter steps) {
        this.steps = steps;
        return this;
    }

    /** How many turns of the task have ended so far. */
    static int turnsEnded(JsonNode task) {
        int ended = 0;
        for (JsonNode step : task.path("timeline")) {
            if (TaskStatus.TURN_ENDED.wireName().equals(step.path("status").asText())) {
                ended++;
            }
        }
        return ended;
    }

    /**
     * Prints until the turn after {@code turnsEndedBefore} ends.
     *
     * @return the task's final status (turn_ended, failed, cancelled)
     */
    String printUntilTurnEnds(String taskId, String sessionId, int turnsEndedBefore) throws InterruptedException {
        while (true) {
            JsonNode task = api.get("/api/tasks/" + taskId);
            String status = task.path("status").asText();
            boolean ended = TaskStatus.byWireName(status).map(TaskStatus::isTerminal).orElse(false);
            boolean over = ended || turnsEnded(task) > turnsEndedBefore;
            if (steps != null) {
                steps.printNew(task);
            }
            printNew(taskId, sessionId);
            if (over) {
                out.println();
                if (TaskStatus.FAILED.wireName().equals(status)) {
                    out.println("The task failed: " + task.path("failureReason").asText(""));
                }
                out.flush();
                return ended ? status : TaskStatus.TURN_ENDED.wireName();
            }
            Thread.sleep(pollEvery.toMillis());
        }
    }

    /** Reads the messages after the oldest unfinished one and prints what is new; returns the last seq seen. */
    long printNew(String taskId, String sessionId) {
        long cursor = after;
        boolean allFinalSoFar = true;
        while (true) {
            JsonNode page = api.get("/api/sessions/" + sessionId + "/messages?after=" + cursor + "&limit=" + PAGE);
            JsonNode messages = page.path("messages");
            if (messages.isEmpty()) {
                break;
            }
            for (JsonNode message : messages) {
                long seq = message.path("seq").asLong();
                print(taskId, seq, message);
                boolean isFinal = message.path("complete").asBoolean() && !changesLater(message);
                if (allFinalSoFar && isFinal) {
                    after = seq;
                } else {
                    allFinalSoFar = false;
                }
                cursor = seq;
            }
            if (messages.size() < PAGE) {
                break;
            }
        }
        out.flush();
        return cursor;
    }

    /** A tool call still running, or a permission request not yet answered, may still change. */
    private static boolean changesLater(JsonNode message) {
        String role = message.path("role").asText();
        String state = state(message);
        return ("tool".equals(role) && !Set.of("completed", "failed").contains(state))
            || ("permission".equals(role) && "pending".equals(state));
    }

    private static String state(JsonNode message) {
        JsonNode data = message.path("data");
        return "permission".equals(message.path("role").asText()) ? data.path("state").asText("pending")
            : data.path("status").asText("");
    }

    private void print(String taskId, long seq, JsonNode message) {
        String role = message.path("role").asText();
        String content = message.path("content").asText("");
        switch (role) {
            case "assistant" -> {
                int done = printedChars.getOrDefault(seq, -1);
                if (done < 0) {
                    out.println();
                    done = 0;
                }
                if (content.length() > done) {
                    out.print(content.substring(done));
                }
                printedChars.put(seq, Math.max(done, content.length()));
            }
            case "tool", "permission" -> {
                String state = state(message);
                if (!state.equals(printedState.get(seq))) {
                    printedState.put(seq, state);
                    out.println();
                    out.print("permission".equals(role) ? permission(taskId, message) : "[tool] " + content
                        + (state.isEmpty() ? "" : " (" + state + ")"));
                }
            }
            case "plan", "system" -> {
                if (!printedChars.containsKey(seq)) {
                    printedChars.put(seq, content.length());
                    out.println();
                    out.print("[" + role + "] " + content);
                }
            }
            default -> {
                // user messages are the user's own; thinking stays hidden
            }
        }
    }

    private static String permission(String taskId, JsonNode message) {
        JsonNode data = message.path("data");
        String state = data.path("state").asText("pending");
        if (!"pending".equals(state)) {
            return "[permission] " + state + (data.hasNonNull("chosenOptionId")
                ? ": " + data.path("chosenOptionId").asText() : "");
        }
        StringBuilder text = new StringBuilder("[permission] the agent asks: ")
            .append(data.path("toolCall").path("title").asText(message.path("content").asText("")))
            .append("\n  answer with: handoff answer ").append(taskId).append(' ').append(data.path("requestId").asText())
            .append(" <option>, options:");
        for (JsonNode option : data.path("options")) {
            text.append("\n    ").append(option.path("optionId").asText()).append("  ")
                .append(option.path("name").asText()).append(" (").append(option.path("kind").asText()).append(')');
        }
        return text.toString();
    }
}
