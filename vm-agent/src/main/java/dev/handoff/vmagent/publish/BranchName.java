package dev.handoff.vmagent.publish;

import java.util.Locale;

/**
 * The branch a task's work is pushed to: {@code handoff/<slug of the task text's first line>-<first 8 of the task
 * id>}; the id part keeps two tasks with the same words apart.
 */
public final class BranchName {

    public static final String PREFIX = "handoff/";

    static final int MAX_SLUG_CHARS = 40;
    private static final int ID_CHARS = 8;

    private BranchName() {
    }

    /** E.g. "Fix the login timeout" of task 1a2b3c4d-... is handoff/fix-the-login-timeout-1a2b3c4d. */
    public static String forTask(String taskId, String taskText) {
        String id = (taskId == null ? "" : taskId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        id = id.substring(0, Math.min(ID_CHARS, id.length()));
        String slug = slug(taskText);
        if (id.isEmpty()) {
            return PREFIX + slug;
        }
        return PREFIX + slug + "-" + id;
    }

    static String slug(String text) {
        String firstLine = (text == null ? "" : text).strip().lines().findFirst().orElse("");
        String slug = firstLine.toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG_CHARS) {
            slug = slug.substring(0, MAX_SLUG_CHARS);
            int lastDash = slug.lastIndexOf('-');
            if (lastDash > MAX_SLUG_CHARS / 2) {
                slug = slug.substring(0, lastDash);
            }
            slug = slug.replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "task" : slug;
    }
}
