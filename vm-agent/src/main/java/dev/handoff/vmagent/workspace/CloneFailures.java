package dev.handoff.vmagent.workspace;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies why a git clone failed, from git's own words: a transient failure (the git server was unreachable,
 * reset the connection, timed out, answered 5xx or 429) may succeed when tried again; a permanent one (the
 * repository or branch does not exist, authentication failed, the URL is invalid) never will. What is not
 * recognised is permanent, so an unknown failure fails the task at once instead of being repeated.
 */
public final class CloneFailures {

    /** How a clone failed: {@code retryable} and a short stable {@code kind} for events. */
    public record Classification(boolean retryable, String kind) {
    }

    private record Rule(Pattern pattern, Classification classification) {
    }

    public static final Classification NETWORK = new Classification(true, "network");
    private static final Classification SERVER_ERROR = new Classification(true, "server_error");
    public static final Classification TIMEOUT = new Classification(true, "timeout");
    private static final Classification NOT_FOUND = new Classification(false, "not_found");
    private static final Classification AUTHENTICATION = new Classification(false, "authentication");
    private static final Classification INVALID_REQUEST = new Classification(false, "invalid_request");

    /** Checked in order; permanent causes first, since git may add a generic line after the specific one. */
    private static final List<Rule> RULES = List.of(
        rule("authentication failed|could not read username|could not read password|returned error: 40[13]"
            + "|permission denied \\(publickey", AUTHENTICATION),
        rule("repository not found|repository '.*' not found|returned error: 404|does not appear to be a git repository"
            + "|does not exist|not found in upstream|couldn't find remote ref|remote branch .* not found",
            NOT_FOUND),
        rule("unable to find remote helper|unsupported protocol|url using bad/illegal format|malformed url"
            + "|not a valid|invalid url|transport '.*' not allowed", INVALID_REQUEST),
        rule("returned error: 429|returned error: 5\\d\\d|http 5\\d\\d|http 429|rpc failed", SERVER_ERROR),
        rule("timed out|did not finish within|timeout", TIMEOUT),
        rule("could not resolve host|connection refused|connection reset|network is unreachable"
            + "|no route to host|failed to connect|early eof|remote end hung up unexpectedly"
            + "|temporary failure in name resolution|empty reply from server|ssl_error_syscall|gnutls_handshake"
            + "|recv failure",
            NETWORK));

    /** The URL's scheme or host is not allowed on this node (contracts RepositoryUrlPolicy). */
    public static final Classification REFUSED = new Classification(false, "refused");

    private CloneFailures() {
    }

    /**
     * What the user is told about a failed clone of this classification: one fixed sentence per kind, so git's own
     * words (which tell an open port from a closed one, a web server from a database) never reach the chat. The
     * node's log keeps git's words.
     */
    public static String userReason(Classification classification, String branch, int exitCode) {
        return "git clone failed: " + switch (classification.kind()) {
            case "network" -> "could not reach the repository host";
            case "server_error" -> "the repository host answered with an error";
            case "not_found" -> "the repository or its branch '" + branch + "' was not found";
            case "authentication" -> "the repository host refused access (a private repository needs a token)";
            case "invalid_request" -> "the repository URL is not one git can clone";
            default -> "git exited with code " + exitCode;
        };
    }

    /** The classification of a clone failure described by {@code message} (git's stderr tail, or the timeout). */
    public static Classification classify(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.pattern().matcher(text).find()) {
                return rule.classification();
            }
        }
        return new Classification(false, "unknown");
    }

    private static Rule rule(String regex, Classification classification) {
        return new Rule(Pattern.compile(regex), classification);
    }
}
