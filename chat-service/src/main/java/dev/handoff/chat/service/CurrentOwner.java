package dev.handoff.chat.service;

import dev.handoff.chat.auth.CurrentUser;
import jakarta.inject.Inject;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling, for scoping nodes by owner: the signed-in user ({@link CurrentUser}). {@value #LOCAL} is the owner
 * the provisioner gives tasks that carry none (from before accounts existed).
 */
@RequestScoped
public class CurrentOwner {

    public static final String LOCAL = "local";

    @Inject
    CurrentUser currentUser;

    public String id() {
        return currentUser.get().id();
    }
}
