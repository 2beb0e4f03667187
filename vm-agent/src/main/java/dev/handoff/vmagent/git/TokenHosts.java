package dev.handoff.vmagent.git;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a node offers the user's {@code github_token}: the GitHub hosts of this installation
 * ({@code HANDOFF_GITHUB_HOSTS}, default {@code github.com}). An entry is a host name ({@code github.com},
 * {@code ghe.example.com}: https only, any port) or an origin with its scheme ({@code https://ghe.example.com:8443},
 * or {@code http://127.0.0.1:8080} for a test's git server: plain http only where an operator names it so). A URL
 * matches when its scheme, host and (where the entry names one) port are the entry's; nothing else is offered the
 * token, whatever a project's URL or a workspace's git config says.
 */
public record TokenHosts(List<Entry> entries) {

    /** The installation default: github.com over https. */
    public static final String DEFAULT = "github.com";

    /** One allowed destination; {@code port} -1: any. */
    public record Entry(String scheme, String host, int port) {

        boolean matches(URI uri) {
            return uri.getScheme() != null && uri.getHost() != null
                && scheme.equals(uri.getScheme().toLowerCase(Locale.ROOT))
                && host.equals(uri.getHost().toLowerCase(Locale.ROOT))
                && (port == -1 || port == effectivePort(uri));
        }

        private static int effectivePort(URI uri) {
            if (uri.getPort() != -1) {
                return uri.getPort();
            }
            return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
    }

    public TokenHosts {
        entries = List.copyOf(entries);
    }

    public static TokenHosts defaults() {
        return parse(DEFAULT);
    }

    /**
     * @param commaSeparated entries as described above, e.g. {@code github.com,https://ghe.example.com}
     * @throws IllegalArgumentException naming the entry that is neither a host nor an http(s) origin
     */
    public static TokenHosts parse(String commaSeparated) {
        return new TokenHosts(Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty())
            .map(TokenHosts::entry).toList());
    }

    private static Entry entry(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.contains("://")) {
            lower = "https://" + lower;
        }
        URI uri;
        try {
            uri = URI.create(lower);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HANDOFF_GITHUB_HOSTS entry '" + text + "' is not a host or origin");
        }
        if (uri.getHost() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
            || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
            || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("HANDOFF_GITHUB_HOSTS entry '" + text
                + "' is not a host name or an http(s) origin such as https://ghe.example.com");
        }
        return new Entry(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    /** Whether the token may be offered to {@code url}'s host. */
    public boolean allows(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = URI.create(url);
            return uri.getUserInfo() == null && entries.stream().anyMatch(entry -> entry.matches(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The host names, for recognising a GitHub repository by its URL (https, ssh or scp-like). */
    public Set<String> hostNames() {
        return entries.stream().map(Entry::host).collect(Collectors.toUnmodifiableSet());
    }
}
