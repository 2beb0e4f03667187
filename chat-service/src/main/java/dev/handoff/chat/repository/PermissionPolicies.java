package dev.handoff.chat.repository;

import java.util.Set;

/** A project's permission policy: how the agent's permission requests are answered. */
public final class PermissionPolicies {

    /** Allowed automatically by the node (the default). */
    public static final String ALLOW = "allow";

    /** Shown to the user as a permission message; the agent waits for the user's answer. */
    public static final String ASK = "ask";

    public static final Set<String> ALL = Set.of(ALLOW, ASK);

    private PermissionPolicies() {
    }
}
