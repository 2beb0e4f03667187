package dev.handoff.chat.service;

import dev.handoff.chat.repository.StoredModelEndpoint.ModelEndpointLimits;
import dev.handoff.chat.rest.ApiException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A model endpoint's base URL as an agent uses it ({@code ANTHROPIC_BASE_URL}): an absolute {@code http} or
 * {@code https} URL with a host, no user name or password in it (a key belongs in the {@code <vendor>_api_key}
 * secret, which is stored encrypted; this value is stored and shown as it is), no fragment. Any host is allowed: the
 * agent on the node already reaches whatever the node reaches (docs/security.md, "Model endpoints").
 */
public final class ModelEndpointUrl {

    private ModelEndpointUrl() {
    }

    /** The URL, trimmed; else a 400 naming {@code field}. */
    public static String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " must be a non-empty http or https URL");
        }
        String url = value.trim();
        if (url.length() > ModelEndpointLimits.MAX_URL_CHARS) {
            throw ApiException.invalid(field, field + " must be at most " + ModelEndpointLimits.MAX_URL_CHARS
                + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalid(field, field + " is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalid(field, field + " must be an http or https URL, got '" + url + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ApiException.invalid(field, field + " must name a host, e.g. https://llm-gateway.example.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.invalid(field, field + " must not hold a user name or password; store the key as "
                + "the agent's API key secret (PUT /api/settings/secrets/anthropic_api_key)");
        }
        if (uri.getRawFragment() != null) {
            throw ApiException.invalid(field, field + " must not have a #fragment");
        }
        return url;
    }
}
