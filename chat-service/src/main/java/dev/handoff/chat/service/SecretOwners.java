package dev.handoff.chat.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whose secrets a request or a task uses. Until users exist every secret belongs to the one local owner; when
 * sign-in lands, {@link #currentOwnerId()} returns the signed-in user's id and {@link #ownerOfTask} the id of the
 * user who owns the task's project.
 */
@ApplicationScoped
public class SecretOwners {

    /** The owner of secrets before there are users. */
    public static final String LOCAL_OWNER = "local";

    /** The seam: the signed-in user whose secrets the settings API reads and writes. */
    public String currentOwnerId() {
        return LOCAL_OWNER;
    }

    /** The user whose secrets a task's node receives. */
    public String ownerOfTask(String taskId) {
        return LOCAL_OWNER;
    }
}
