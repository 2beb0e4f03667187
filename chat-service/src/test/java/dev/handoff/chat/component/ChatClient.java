package dev.handoff.chat.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * chat-service's HTTP API as its callers meet it, for component tests that look at statuses, headers and cookies:
 * a script with a bearer token, a browser (the cookies the server sets and the web page's
 * {@code X-Handoff-Client: web} header), or nobody.
 */
final class ChatClient {

    /** An answer: status, headers and the body as JSON (missing when the body is not JSON). */
    record Answer(int status, HttpHeaders headers, JsonNode body, String text) {
        @Override
        public String toString() {
            return "HTTP " + status + " " + text;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final boolean browser;
    private final HttpClient http;

    private ChatClient(URL base, String token, boolean browser) {
        try {
            this.base = base.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        this.token = token;
        this.browser = browser;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        this.http = browser ? client.cookieHandler(new CookieManager()).build() : client.build();
    }

    static ChatClient withToken(URL base, String token) {
        return new ChatClient(base, token, false);
    }

    static ChatClient browser(URL base) {
        return new ChatClient(base, null, true);
    }

    static ChatClient anonymous(URL base) {
        return new ChatClient(base, null, false);
    }

    /** A new account with {@code email} (sign-up is open in the component profiles), as a script with its token. */
    static ChatClient signUpForToken(URL base, String email, String password) {
        return withToken(base, dev.handoff.localstack.ApiSignIn.signUpForToken(origin(base), email, password,
            email.substring(0, email.indexOf('@'))));
    }

    /** {@code base} without its trailing slash, as local-stack's {@code ApiSignIn} takes it. */
    static String origin(URL base) {
        return base.toString().replaceAll("/+$", "");
    }

    Answer get(String path) {
        return request("GET", path, null, Map.of());
    }

    Answer post(String path, String body) {
        return request("POST", path, body, Map.of());
    }

    Answer delete(String path) {
        return request("DELETE", path, null, Map.of());
    }

    /** A request with {@code headers} added; a header given as "" is left out (e.g. the browser's own header). */
    Answer request(String method, String path, String body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Accept", "application/json");
        if (token != null) {
            all.put("Authorization", "Bearer " + token);
        }
        if (browser) {
            all.put("X-Handoff-Client", "web");
        }
        if (body != null) {
            all.put("Content-Type", "application/json");
        }
        all.putAll(headers);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        all.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.header(name, value);
            }
        });
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), json(response.body()), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a Server-Sent Events stream and closes it once the status is known; the body is read unless 200. */
    Answer openStream(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15))
            .header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream body = response.body()) {
                String text = response.statusCode() == 200 ? ""
                    : new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                return new Answer(response.statusCode(), response.headers(), json(text), text);
            }
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }
}
