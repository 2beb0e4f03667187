package dev.handoff.vmagent.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens pull requests through the GitHub REST API ({@code POST /repos/{owner}/{repo}/pulls}). When one is already
 * open for the branch (422 "A pull request already exists for owner:branch."), finds it with
 * {@code GET /repos/{owner}/{repo}/pulls?head=owner:branch&state=open} and answers its URL, so publishing a later
 * turn of the same task is not an error.
 */
public final class GitHubPullRequests {

    /** A pull request to open: {@code head} is the pushed branch, {@code base} the repository's default branch. */
    public record Draft(String title, String body, String head, String base) {
    }

    /** GitHub did not open or find the pull request; the message says why, never with the token. */
    public static final class GitHubApiException extends Exception {
        public GitHubApiException(String message) {
            super(message);
        }
    }

    static final String API_VERSION = "2022-11-28";

    private static final Logger LOG = Logger.getLogger(GitHubPullRequests.class.getName());
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI apiUrl;
    private final HttpClient http;

    public GitHubPullRequests(URI apiUrl) {
        this.apiUrl = apiUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** @return the pull request's web URL ({@code html_url}) */
    public String openOrFind(GitHubRepository repository, String token, Draft draft)
        throws GitHubApiException, InterruptedException {
        String body = Json.MAPPER.createObjectNode().put("title", draft.title()).put("head", draft.head())
            .put("base", draft.base()).put("body", draft.body()).toString();
        HttpResponse<String> created = send(request(repository, "/pulls", token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (created.statusCode() == 201) {
            String url = htmlUrl(read(created.body()));
            LOG.log(Level.INFO, "pull request {0} opened for {1}", new Object[] {url, draft.head()});
            return url;
        }
        if (created.statusCode() == 422 && alreadyExists(read(created.body()))) {
            return findOpen(repository, token, draft.head());
        }
        throw failure("opening a pull request", created);
    }

    private String findOpen(GitHubRepository repository, String token, String branch)
        throws GitHubApiException, InterruptedException {
        String head = URLEncoder.encode(repository.owner() + ":" + branch, StandardCharsets.UTF_8);
        HttpResponse<String> found = send(request(repository, "/pulls?head=" + head + "&state=open", token)
            .GET().build());
        if (found.statusCode() != 200) {
            throw failure("finding the open pull request", found);
        }
        JsonNode pulls = read(found.body());
        if (!pulls.isArray() || pulls.isEmpty()) {
            throw new GitHubApiException("GitHub says a pull request exists for " + branch
                + " but lists no open one");
        }
        String url = htmlUrl(pulls.get(0));
        LOG.log(Level.INFO, "pull request {0} was already open for {1}", new Object[] {url, branch});
        return url;
    }

    private HttpRequest.Builder request(GitHubRepository repository, String path, String token) {
        String base = apiUrl.toString().replaceAll("/+$", "");
        return HttpRequest.newBuilder(URI.create(base + "/repos/" + repository.owner() + "/" + repository.name()
                + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/vnd.github+json")
            .header("Authorization", "Bearer " + token)
            .header("X-GitHub-Api-Version", API_VERSION)
            .header("User-Agent", "handoff-vm-agent");
    }

    private HttpResponse<String> send(HttpRequest request) throws GitHubApiException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GitHubApiException("cannot reach the GitHub API at " + apiUrl + ": " + e.getMessage());
        }
    }

    /**
     * GitHub's 422 for a duplicate:
     * {@code {"message":"Validation Failed","errors":[{"message":"A pull request already exists for o:b."}]}}.
     */
    private static boolean alreadyExists(JsonNode error) {
        for (JsonNode detail : error.path("errors")) {
            if (detail.path("message").asText("").startsWith("A pull request already exists")) {
                return true;
            }
        }
        return false;
    }

    private static GitHubApiException failure(String doing, HttpResponse<String> response) {
        String message = read(response.body()).path("message").asText("");
        if (response.statusCode() == 401) {
            return new GitHubApiException("GitHub refused the token while " + doing + " (401 " + message
                + "): store a valid github_token");
        }
        return new GitHubApiException("GitHub answered " + response.statusCode() + " while " + doing
            + (message.isEmpty() ? "" : ": " + message));
    }

    private static String htmlUrl(JsonNode pull) throws GitHubApiException {
        String url = pull.path("html_url").asText("");
        if (url.isEmpty()) {
            throw new GitHubApiException("GitHub's pull request has no html_url");
        }
        return url;
    }

    private static JsonNode read(String body) {
        try {
            return body == null || body.isBlank() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.nullNode();
        }
    }
}
