package dev.handoff.chat.service;

import dev.handoff.chat.rest.ApiException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/** Field checks shared by the API's requests; each failure names the field. */
final class Validation {

    private static final Set<String> URL_SCHEMES = Set.of("https", "http", "ssh", "git", "file");
    private static final Pattern SCP_LIKE = Pattern.compile("^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._/~-]+$");
    private static final Pattern BRANCH = Pattern.compile("^[A-Za-z0-9._/-]{1,200}$");

    private Validation() {
    }

    static String requireText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " is required and must not be empty");
        }
        if (value.length() > maxLength) {
            throw ApiException.invalid(field, field + " is longer than " + maxLength + " characters");
        }
        return value.strip();
    }

    /**
     * A git URL nodes can clone: https, http, ssh, git or scp-like {@code user@host:path}; {@code file://} only
     * when {@code allowFileUrls} (a node would otherwise read any repository on its own disk). Credentials in the
     * URL are refused: they would travel in events and show in logs and process lists.
     */
    static String requireRepositoryUrl(String field, String value, boolean allowFileUrls) {
        String url = requireText(field, value, 2048);
        if (SCP_LIKE.matcher(url).matches()) {
            return url;
        }
        try {
            URI uri = new URI(url);
            if ("file".equals(uri.getScheme()) && !allowFileUrls) {
                throw ApiException.invalid(field, field + " must not be a file:// URL on this Handoff");
            }
            if (uri.getScheme() == null || !URL_SCHEMES.contains(uri.getScheme())) {
                throw ApiException.invalid(field, field + " must be a git URL (https://, ssh://, git@host:path or "
                    + "file://), got '" + url + "'");
            }
            if (!"file".equals(uri.getScheme()) && (uri.getHost() == null || uri.getPath() == null
                || uri.getPath().length() < 2)) {
                throw ApiException.invalid(field, field + " must name a host and a repository path");
            }
            if (uri.getUserInfo() != null && !"ssh".equals(uri.getScheme())) {
                throw ApiException.invalid(field, field + " must not contain a user name, password or token");
            }
            if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
                throw ApiException.invalid(field, field + " must not contain a password or token");
            }
            return url;
        } catch (URISyntaxException e) {
            throw ApiException.invalid(field, field + " is not a valid URL: " + e.getReason());
        }
    }

    /** One of {@code allowed}, else 400 naming the field and the allowed values. */
    static String requireOneOf(String field, String value, java.util.Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw ApiException.invalid(field, field + " must be one of " + new java.util.TreeSet<>(allowed)
                + (value == null ? "" : ", got '" + value + "'"));
        }
        return value;
    }

    static String requireBranch(String field, String value) {
        String branch = requireText(field, value, 200);
        if (!BRANCH.matcher(branch).matches() || branch.startsWith("-") || branch.contains("..")) {
            throw ApiException.invalid(field, field + " is not a valid branch name: '" + branch + "'");
        }
        return branch;
    }
}
