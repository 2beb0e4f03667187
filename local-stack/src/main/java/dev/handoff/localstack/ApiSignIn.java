package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Gets a personal API token from chat-service the way a user does by hand: sign in (or sign up) with email and
 * password, which sets the browser session cookie, then {@code POST /api/tokens} with that cookie.
 */
public final class ApiSignIn {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiSignIn() {
    }

    /** Signs in with the password and returns a new API token. */
    public static String apiToken(String chatUrl, String email, String password) {
        return tokenAfter(chatUrl, "/api/auth/login", JSON.createObjectNode().put("email", email)
            .put("password", password).toString(), 200);
    }

    /** Creates the account (sign-up must be open), then returns a new API token for it. */
    public static String signUpForToken(String chatUrl, String email, String password, String name) {
        return tokenAfter(chatUrl, "/api/auth/signup", JSON.createObjectNode().put("email", email)
            .put("password", password).put("name", name).toString(), 201);
    }

    private static String tokenAfter(String chatUrl, String signInPath, String body, int expected) {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode signedIn = post(http, chatUrl + signInPath, body);
        if (signedIn.path("status").asInt() != expected) {
            throw new IllegalStateException("sign-in at " + chatUrl + signInPath + " refused: " + signedIn);
        }
        JsonNode token = post(http, chatUrl + "/api/tokens", "{\"name\":\"handoff-local-stack\"}");
        if (token.path("status").asInt() != 201) {
            throw new IllegalStateException("no API token: " + token);
        }
        return token.path("body").path("token").asText();
    }

    private static JsonNode post(HttpClient http, String url, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("X-Handoff-Client", "web")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.createObjectNode().put("status", response.statusCode())
                .set("body", response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
