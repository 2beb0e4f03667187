package dev.handoff.servicekit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The shared service token every Handoff service is given ({@code handoff.internal.token}). */
public final class InternalToken {

    /** The configuration key; in the environment {@code HANDOFF_INTERNAL_TOKEN}. */
    public static final String CONFIG_KEY = "handoff.internal.token";

    private InternalToken() {
    }

    /** Whether the {@code Authorization} header carries the configured token; never true when none is configured. */
    public static boolean authorizes(String authorizationHeader, Optional<String> configured) {
        if (configured.isEmpty() || configured.get().isBlank() || authorizationHeader == null
            || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, configured.get().getBytes(StandardCharsets.UTF_8));
    }

    /** The header value that carries the token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
