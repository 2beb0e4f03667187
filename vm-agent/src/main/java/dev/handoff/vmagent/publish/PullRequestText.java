package dev.handoff.vmagent.publish;

/** The title and body of a task's pull request (and its commit message's subject), from the task text. */
final class PullRequestText {

    static final int MAX_TITLE_CHARS = 72;

    private PullRequestText() {
    }

    /** The task text's first non-blank line, shortened to 72 characters. */
    static String title(String taskText) {
        String first = (taskText == null ? "" : taskText).strip().lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            return "Handoff task";
        }
        return first.length() <= MAX_TITLE_CHARS ? first : first.substring(0, MAX_TITLE_CHARS - 1).strip() + "…";
    }

    /** The task text as a quote, then a link back to the chat. */
    static String body(String taskText, String chatUrl, String taskId) {
        StringBuilder body = new StringBuilder("The task, as given to Handoff:\n\n");
        (taskText == null ? "" : taskText).strip().lines().forEach(line -> body.append("> ").append(line).append('\n'));
        body.append('\n');
        if (chatUrl != null && !chatUrl.isBlank()) {
            body.append("The agent's work and the conversation: [Handoff chat](").append(chatUrl).append(")\n");
        } else {
            body.append("Handoff task ").append(taskId).append('\n');
        }
        return body.toString();
    }
}
