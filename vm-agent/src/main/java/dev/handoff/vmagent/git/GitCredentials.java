package dev.handoff.vmagent.git;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A token for git over HTTPS, handed to git through a credential helper: the helper is configured per command
 * ({@code -c credential.<scheme>://<host>.helper=...}) and prints the token from the git process's environment
 * ({@link #TOKEN_ENV}). So the token is never in the remote URL, never in {@code .git/config}, never on a command
 * line (the helper's text names the variable, not its value) and never in a log. It is offered only to the
 * repository's own host, and only when that host is one of the node's {@link TokenHosts} (the installation's GitHub
 * hosts, over https unless configured otherwise); file:// and ssh remotes and any other host get no helper.
 */
public final class GitCredentials {

    /** The environment variable of the git process that holds the token. */
    public static final String TOKEN_ENV = "HANDOFF_GIT_TOKEN";

    /** GitHub takes any user name with a token; this one is what its docs use for app and action tokens. */
    static final String USERNAME = "x-access-token";

    /**
     * The helper git runs as {@code sh -c '<helper> "$@"' <helper> get|store|erase}: it answers only {@code get},
     * with the user name and the token read from {@link #TOKEN_ENV}.
     */
    static final String HELPER = "!f() { test \"$1\" = get || exit 0; echo username=" + USERNAME
        + "; echo \"password=${" + TOKEN_ENV + "}\"; }; f";

    private static final GitCredentials NONE = new GitCredentials(null, null);

    private final String token;
    private final String scope;

    private GitCredentials(String token, String scope) {
        this.token = token;
        this.scope = scope;
    }

    public static GitCredentials none() {
        return NONE;
    }

    /**
     * The token for {@code repositoryUrl}'s host; none when there is no token or the URL is not on one of
     * {@code hosts} (scheme, host and port as configured: a team project's owner cannot point the URL at their own
     * host, nor at a configured host over plain http, and collect a member's token).
     */
    public static GitCredentials forRepository(String repositoryUrl, Optional<String> token, TokenHosts hosts) {
        if (token.isEmpty() || token.get().isBlank() || repositoryUrl == null || !hosts.allows(repositoryUrl)) {
            return NONE;
        }
        try {
            URI uri = URI.create(repositoryUrl);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
                return NONE;
            }
            String scope = scheme.toLowerCase() + "://" + uri.getHost()
                + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            return new GitCredentials(token.get(), scope);
        } catch (IllegalArgumentException e) {
            return NONE;
        }
    }

    public boolean present() {
        return token != null;
    }

    /**
     * The {@code -c} options that go before git's subcommand: the helper list is emptied (no helper from any
     * config file answers), then this helper is set for the repository's host only.
     */
    public List<String> configArguments() {
        if (!present()) {
            return List.of("-c", "credential.helper=");
        }
        return List.of("-c", "credential.helper=", "-c", "credential." + scope + ".helper=" + HELPER);
    }

    /** The variables to add to the git process's environment. */
    public Map<String, String> environment() {
        return present() ? Map.of(TOKEN_ENV, token) : Map.of();
    }

    /** Replaces the token wherever it appears in {@code text} (e.g. git's stderr), so it never reaches a log. */
    public String redact(String text) {
        if (!present() || text == null) {
            return text;
        }
        return text.replace(token, "<redacted>");
    }

    @Override
    public String toString() {
        return present() ? "GitCredentials[token for " + scope + "]" : "GitCredentials[none]";
    }
}
