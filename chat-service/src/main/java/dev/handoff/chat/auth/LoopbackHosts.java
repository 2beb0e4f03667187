package dev.handoff.chat.auth;

import java.util.Locale;

/**
 * Whether a request's host names this machine: {@code localhost}, {@code 127.0.0.0/8} or {@code ::1} (with or
 * without brackets and port).
 */
final class LoopbackHosts {

    private LoopbackHosts() {
    }

    static boolean isLoopback(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.equals("::1")) {
            return true;
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 && host.substring(1, end).equals("::1");
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
