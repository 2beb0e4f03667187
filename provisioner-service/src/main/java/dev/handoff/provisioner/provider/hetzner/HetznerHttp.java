package dev.handoff.provisioner.provider.hetzner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sends one request to the Hetzner API with the token and returns the JSON answer. Retries, bounded by
 * max-retries: 429 after the wait Hetzner asks for ({@code Retry-After}, else {@code RateLimit-Reset}), 5xx and lost
 * connections with doubling backoff. Everything else throws at once; 401 as {@link HetznerTokenRefusedException}.
 * The token goes only into the Authorization header: never into a log line or an exception message.
 */
final class HetznerHttp {

    private static final Logger LOG = Logger.getLogger(HetznerHttp.class);

    private final HttpClient http;
    private final ObjectMapper json;
    private final HetznerSettings settings;
    private final String token;
    private final Sleeper sleeper;
    private final Clock clock;

    HetznerHttp(HttpClient http, ObjectMapper json, HetznerSettings settings, String token, Sleeper sleeper,
                Clock clock) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a Hetzner API token is required");
        }
        this.http = http;
        this.json = json;
        this.settings = settings;
        this.token = token;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** {@code pathAndQuery} starts with {@code /v1/}; {@code body} is null for GET and DELETE. */
    JsonNode send(String method, String pathAndQuery, JsonNode body) {
        String what = method + " " + pathAndQuery;
        HttpRequest request = request(method, pathAndQuery, body);
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt >= settings.maxRetries()) {
                    throw new HetznerApiException("Hetzner API " + what + " unreachable after " + (attempt + 1)
                        + " attempts: " + e.getMessage(), e);
                }
                waitBeforeRetry(what, "connection failed: " + e.getMessage(), backoff(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HetznerApiException("interrupted during Hetzner API " + what, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(response.body());
            }
            HetznerApiException error = error(what, status, response.body());
            if (status == 401) {
                throw new HetznerTokenRefusedException(error.code());
            }
            boolean retryable = status == 429 || status >= 500;
            if (!retryable || attempt >= settings.maxRetries()) {
                throw error;
            }
            Duration wait = status == 429 ? rateLimitWait(response, attempt) : backoff(attempt);
            waitBeforeRetry(what, error.getMessage(), wait);
        }
    }

    private HttpRequest request(String method, String pathAndQuery, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stripSlash(settings.apiUrl()) + pathAndQuery))
            .timeout(settings.requestTimeout())
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return builder.build();
    }

    private HetznerApiException error(String what, int status, String body) {
        String code = "unknown";
        String message = "";
        try {
            JsonNode error = json.readTree(body).path("error");
            code = error.path("code").asText("unknown");
            message = error.path("message").asText("");
        } catch (IOException | RuntimeException e) {
            message = "(no JSON error body)";
        }
        return new HetznerApiException(status, code, "Hetzner API " + what + " answered " + status + " " + code
            + (message.isEmpty() ? "" : ": " + message));
    }

    /** Retry-After (seconds) if given, else until RateLimit-Reset (UNIX seconds), else the backoff; capped. */
    private Duration rateLimitWait(HttpResponse<String> response, int attempt) {
        Optional<Duration> asked = seconds(response, "Retry-After").map(Duration::ofSeconds)
            .or(() -> seconds(response, "RateLimit-Reset")
                .map(reset -> Duration.between(clock.instant(), Instant.ofEpochSecond(reset))));
        Duration wait = asked.filter(d -> !d.isNegative()).orElse(backoff(attempt));
        return min(wait, settings.maxRetryWait());
    }

    private static Optional<Long> seconds(HttpResponse<String> response, String header) {
        try {
            return response.headers().firstValue(header).map(String::trim).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Duration backoff(int attempt) {
        Duration wait = settings.retryBackoff().multipliedBy(1L << Math.min(attempt, 20));
        return min(wait, settings.maxRetryWait());
    }

    private void waitBeforeRetry(String what, String reason, Duration wait) {
        LOG.warnf("Hetzner API %s: %s; retrying in %d ms", what, reason, wait.toMillis());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HetznerApiException("interrupted while waiting to retry Hetzner API " + what, e);
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new HetznerApiException(0, "invalid_response", "Hetzner API answered invalid JSON: "
                + e.getMessage());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String stripSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
