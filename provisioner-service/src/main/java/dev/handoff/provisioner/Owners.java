package dev.handoff.provisioner;

/** Who nodes belong to. */
public final class Owners {

    /** The single local user, for requests without an owner (before users exist). */
    public static final String LOCAL = "local";

    private Owners() {
    }

    public static String orLocal(String ownerId) {
        return ownerId == null || ownerId.isBlank() ? LOCAL : ownerId;
    }
}
