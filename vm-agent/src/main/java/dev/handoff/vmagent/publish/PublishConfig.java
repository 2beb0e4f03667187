package dev.handoff.vmagent.publish;

import dev.handoff.vmagent.git.TokenHosts;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How the vm-agent publishes a turn's work.
 *
 * @param githubApiUrl {@code HANDOFF_GITHUB_API_URL}: the GitHub REST API, default {@code https://api.github.com}
 *                     (tests point it at WireMock; GitHub Enterprise at {@code https://<host>/api/v3})
 * @param githubHosts  {@code HANDOFF_GITHUB_HOSTS} (comma separated, see {@link TokenHosts}): the only hosts the
 *                     user's {@code github_token} is offered to (clone and push), and a repository on one of them
 *                     gets a pull request; default {@code github.com} (https)
 * @param authorName   {@code HANDOFF_GIT_AUTHOR_NAME}: the commit author, set per command, default {@code Handoff}
 * @param authorEmail  {@code HANDOFF_GIT_AUTHOR_EMAIL}: default {@code handoff@handoff.invalid}
 * @param gitTimeout   {@code HANDOFF_GIT_TIMEOUT_SECONDS}: limit for each git command (push included), default 300
 */
public record PublishConfig(URI githubApiUrl, TokenHosts githubHosts, String authorName, String authorEmail,
                            Duration gitTimeout) {

    public static final URI DEFAULT_GITHUB_API_URL = URI.create("https://api.github.com");

    public static PublishConfig defaults() {
        return fromEnvironment(Map.of());
    }

    public static PublishConfig fromEnvironment(Map<String, String> env) {
        return new PublishConfig(
            URI.create(env.getOrDefault("HANDOFF_GITHUB_API_URL", DEFAULT_GITHUB_API_URL.toString())),
            TokenHosts.parse(env.getOrDefault("HANDOFF_GITHUB_HOSTS", TokenHosts.DEFAULT)),
            env.getOrDefault("HANDOFF_GIT_AUTHOR_NAME", "Handoff"),
            env.getOrDefault("HANDOFF_GIT_AUTHOR_EMAIL", "handoff@handoff.invalid"),
            Duration.ofSeconds(Long.parseLong(env.getOrDefault("HANDOFF_GIT_TIMEOUT_SECONDS", "300"))));
    }
}
