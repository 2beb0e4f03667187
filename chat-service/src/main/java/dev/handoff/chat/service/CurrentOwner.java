package dev.handoff.chat.service;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling, for scoping nodes by owner: the one seam to point at the signed-in user once users exist. Until
 * then every caller is the single local user {@value #LOCAL}, which is also the owner the provisioner gives tasks
 * without an owner.
 */
@RequestScoped
public class CurrentOwner {

    public static final String LOCAL = "local";

    public String id() {
        return LOCAL;
    }
}
