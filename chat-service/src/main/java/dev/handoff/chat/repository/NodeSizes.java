package dev.handoff.chat.repository;

import java.util.Set;

/** The node sizes a project can ask for; the provisioner maps each to its provider's machine type. */
public final class NodeSizes {

    /** The default. */
    public static final String SMALL = "small";

    public static final Set<String> ALL = Set.of(SMALL, "medium", "large");

    private NodeSizes() {
    }
}
