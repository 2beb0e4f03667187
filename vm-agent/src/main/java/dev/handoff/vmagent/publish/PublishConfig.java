package dev.handoff.vmagent.publish;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the vm-agent publishes a turn's work.
 *
 * @param githubApiUrl {@code HANDOFF_GITHUB_API_URL}: the GitHub REST API, default {@code https://api.github.com}
 *                     (tests point it at WireMock; GitHub Enterprise at {@code https://<host>/api/v3})
 * @param githubHosts  {@code HANDOFF_GITHUB_HOSTS} (comma separated): a repository whose remote URL has one of
 *                     these hosts is a GitHub repository and gets a pull request; default {@code github.com}
 * @param authorName   {@code HANDOFF_GIT_AUTHOR_NAME}: the commit author, set per command, default {@code Handoff}
 * @param authorEmail  {@code HANDOFF_GIT_AUTHOR_EMAIL}: default {@code handoff@handoff.invalid}
 * @param gitTimeout   {@code HANDOFF_GIT_TIMEOUT_SECONDS}: limit for each git command (push included), default 300
 */
public record PublishConfig(URI githubApiUrl, Set<String> githubHosts, String authorName, String authorEmail,
                            Duration gitTimeout) {

    public static final URI DEFAULT_GITHUB_API_URL = URI.create("https://api.github.com");

    public static PublishConfig defaults() {
        return fromEnvironment(Map.of());
    }

    public static PublishConfig fromEnvironment(Map<String, String> env) {
        String hosts = env.getOrDefault("HANDOFF_GITHUB_HOSTS", "github.com");
        return new PublishConfig(
            URI.create(env.getOrDefault("HANDOFF_GITHUB_API_URL", DEFAULT_GITHUB_API_URL.toString())),
            Arrays.stream(hosts.split(",")).map(String::strip).filter(h -> !h.isEmpty())
                .map(String::toLowerCase).collect(Collectors.toUnmodifiableSet()),
            env.getOrDefault("HANDOFF_GIT_AUTHOR_NAME", "Handoff"),
            env.getOrDefault("HANDOFF_GIT_AUTHOR_EMAIL", "handoff@handoff.invalid"),
            Duration.ofSeconds(Long.parseLong(env.getOrDefault("HANDOFF_GIT_TIMEOUT_SECONDS", "300"))));
    }
}
