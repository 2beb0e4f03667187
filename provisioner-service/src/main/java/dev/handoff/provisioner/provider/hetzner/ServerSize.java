package dev.handoff.provisioner.provider.hetzner;

import dev.handoff.contracts.vocabulary.NodeSize;
import java.util.Locale;

/** The Hetzner server type each of Handoff's node sizes ({@link NodeSize}, same names) gets. */
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

    public static ServerSize of(NodeSize size) {
        return valueOf(size.name());
    }

    /** {@code small}, {@code medium} or {@code large}, as a project's default VM size names it. */
    public static ServerSize named(String name) {
        return of(NodeSize.ofWireName(name.trim().toLowerCase(Locale.ROOT)));
    }
}
