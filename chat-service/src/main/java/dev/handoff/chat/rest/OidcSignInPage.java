package dev.handoff.chat.rest;

import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** Where an OIDC sign-in ends in the web chat: the projects page, or the sign-in page showing why not. */
public final class OidcSignInPage {

    public static final String SIGNED_IN = "/#/projects";

    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");

    private OidcSignInPage() {
    }

    /** 303 to {@code /#/signin?error=<message>}; the page shows the message as text. */
    public static Response withError(String message) {
        return Response.seeOther(URI.create(location(message))).header("Cache-Control", "no-store").build();
    }

    public static String location(String message) {
        return "/#/signin?error=" + URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A readable message for the provider's {@code error} answer (RFC 6749 section 4.1.2.1). */
    static String providerError(String provider, String error, Optional<String> description) {
        if ("access_denied".equals(error)) {
            return "Sign-in with " + provider + " was cancelled.";
        }
        String code = error != null && ERROR_CODE.matcher(error).matches() ? " (" + error + ")" : "";
        String detail = description.map(String::strip).filter(d -> !d.isEmpty())
            .map(d -> ": " + (d.length() > 200 ? d.substring(0, 200) : d)).orElse(".");
        return "Sign-in with " + provider + " failed" + code + detail;
    }
}
