package dev.handoff.provisioner.provider.hetzner;

import java.util.Locale;

/** Handoff's node sizes and the Hetzner server type each one gets. */
public enum ServerSize {
    /** 2 vCPU, 4 GB. */
    SMALL("cx23"),
    /** 4 vCPU, 8 GB. */
    MEDIUM("cx33"),
    /** 8 vCPU, 16 GB. */
    LARGE("cx43");

    private final String serverType;

    ServerSize(String serverType) {
        this.serverType = serverType;
    }

    /** The Hetzner {@code server_type} name. */
    public String serverType() {
        return serverType;
    }

    /** {@code small}, {@code medium} or {@code large}, as a project's default VM size names it. */
    public static ServerSize named(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown node size '" + name + "': use small, medium or large", e);
        }
    }
}
