package dev.handoff.contracts.vocabulary;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;
import java.util.Set;

/** A project's permission policy: how the agent's permission requests are answered. */
public enum PermissionPolicy {
    /** Allowed automatically by the node (the default). */
    ALLOW("Allow automatically"),
    /** Shown to the user as a permission message; the agent waits for the user's answer. */
    ASK("Ask me");

    /** What a project gets when it names no policy (and what a node assumes when a command carries none). */
    public static final PermissionPolicy DEFAULT = ALLOW;

    private final String label;

    PermissionPolicy(String label) {
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

    public static Optional<PermissionPolicy> byWireName(String wireName) {
        return WireNames.find(values(), wireName);
    }

    /** @throws IllegalArgumentException for a name that is not a policy */
    @JsonCreator
    public static PermissionPolicy ofWireName(String wireName) {
        return byWireName(wireName).orElseThrow(() -> new IllegalArgumentException("unknown permission policy '"
            + wireName + "': use allow or ask"));
    }

    /** The policy of a wire name; {@link #DEFAULT} for none. */
    public static PermissionPolicy orDefault(String wireName) {
        return byWireName(wireName).orElse(DEFAULT);
    }
}
