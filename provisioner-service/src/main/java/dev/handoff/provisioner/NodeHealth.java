package dev.handoff.provisioner;

import java.util.Locale;

/** How recently a node proved it is alive (its last heartbeat, or its connection). Shown in lower case. */
public enum NodeHealth {
    /** Heard from within {@code handoff.provisioner.health.stale-after}: it may take tasks. */
    HEALTHY,
    /** Silent for longer than that, not yet for {@code lost-after}: not given new tasks. */
    STALE,
    /** Silent for longer than {@code lost-after}, or never heard from. */
    LOST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
