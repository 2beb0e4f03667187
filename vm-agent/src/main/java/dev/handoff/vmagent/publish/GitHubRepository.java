package dev.handoff.vmagent.publish;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository on GitHub, recognised by its remote URL: {@code https://<host>/<owner>/<repo>[.git]},
 * {@code ssh://git@<host>/<owner>/<repo>[.git]} or {@code git@<host>:<owner>/<repo>[.git]}, where the host is one
 * of the configured GitHub hosts ({@link PublishConfig#githubHosts()}, default github.com).
 */
public record GitHubRepository(String owner, String name) {

    private static final Pattern SCP_LIKE = Pattern.compile("^[^@/]+@([^:/]+):([^/]+)/([^/]+?)(?:\\.git)?/?$");
    private static final Pattern PATH = Pattern.compile("^/([^/]+)/([^/]+?)(?:\\.git)?/?$");

    public static Optional<GitHubRepository> fromRemoteUrl(String remoteUrl, Set<String> githubHosts) {
        if (remoteUrl == null) {
            return Optional.empty();
        }
        Matcher scp = SCP_LIKE.matcher(remoteUrl);
        if (scp.matches()) {
            return githubHosts.contains(scp.group(1).toLowerCase(Locale.ROOT))
                ? Optional.of(new GitHubRepository(scp.group(2), scp.group(3))) : Optional.empty();
        }
        try {
            URI uri = URI.create(remoteUrl);
            if (uri.getHost() == null || !githubHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))
                || uri.getPath() == null) {
                return Optional.empty();
            }
            Matcher path = PATH.matcher(uri.getPath());
            return path.matches() ? Optional.of(new GitHubRepository(path.group(1), path.group(2))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
