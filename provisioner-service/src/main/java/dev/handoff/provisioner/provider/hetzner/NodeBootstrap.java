package dev.handoff.provisioner.provider.hetzner;

import java.net.URI;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a fresh VM needs to become a node: its id, where to fetch its vm-agent and node token (the control plane),
 * the gateway it dials, and the one-time bootstrap token. Nothing else: no cloud token, no agent API key, no node
 * token (the VM exchanges the bootstrap token for it). Every value is checked against a narrow character set, so
 * none can break out of the YAML, the systemd files or the shell script it is written into.
 */
public record NodeBootstrap(String nodeId, URI controlPlaneUrl, URI gatewayUrl, String bootstrapToken) {

    /** Characters allowed in the URLs: no quotes, spaces, {@code $}, backticks, {@code ;}, {@code &}, newlines. */
    private static final Pattern SAFE_URL = Pattern.compile("[A-Za-z0-9._~:/%-]+");
    /** The shape of {@code NodeTokens.newSecret()}: base64url. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{32,128}");

    public NodeBootstrap {
        HandoffLabels.requireNodeId(nodeId);
        requireUrl("control plane URL", controlPlaneUrl, Set.of("https", "http"));
        requireUrl("gateway URL", gatewayUrl, Set.of("wss", "ws"));
        if (bootstrapToken == null || !TOKEN.matcher(bootstrapToken).matches()) {
            throw new IllegalArgumentException("the bootstrap token must be 32 to 128 base64url characters");
        }
    }

    private static void requireUrl(String what, URI url, Set<String> schemes) {
        if (url == null || url.getScheme() == null || !schemes.contains(url.getScheme()) || url.getHost() == null
            || url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null
            || !SAFE_URL.matcher(url.toString()).matches()) {
            throw new IllegalArgumentException(what + " must be a plain " + String.join(" or ", schemes.stream()
                .sorted().toList()) + " URL (letters, digits and . _ ~ : / % - only, no query)");
        }
    }

    /** The control plane URL without a trailing slash. */
    String controlPlaneBase() {
        String url = controlPlaneUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
