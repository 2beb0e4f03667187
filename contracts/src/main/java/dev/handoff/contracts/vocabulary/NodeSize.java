package dev.handoff.contracts.vocabulary;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;
import java.util.Set;

/**
 * The size of node a project's tasks ask for; each provider maps it to a machine type of its own (Hetzner's server
 * types, a pod's resources). Declared smallest first: a node fits a request for its size or any smaller one.
 */
public enum NodeSize {
    SMALL("Small"),
    MEDIUM("Medium"),
    LARGE("Large");

    /** What a task gets when its project names no size. */
    public static final NodeSize DEFAULT = SMALL;

    private final String label;

    NodeSize(String label) {
        this.label = label;
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    public String label() {
        return label;
    }

    /** Every wire name, in declaration order: what a request may say. */
    public static Set<String> wireNames() {
        return WireNames.all(values());
    }

    public static Optional<NodeSize> byWireName(String wireName) {
        return WireNames.find(values(), wireName);
    }

    /** @throws IllegalArgumentException for a name that is not a node size */
    @JsonCreator
    public static NodeSize ofWireName(String wireName) {
        return byWireName(wireName).orElseThrow(() -> new IllegalArgumentException("unknown node size '" + wireName
            + "': use small, medium or large"));
    }

    /** The size of a wire name; {@link #DEFAULT} for none or one this version does not know. */
    public static NodeSize orDefault(String wireName) {
        return byWireName(wireName).orElse(DEFAULT);
    }

    /** Whether a node of this size may run a task that asked for {@code wanted}. */
    public boolean fits(NodeSize wanted) {
        return compareTo(wanted) >= 0;
    }
}
