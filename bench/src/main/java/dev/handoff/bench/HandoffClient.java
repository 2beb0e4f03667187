package dev.handoff.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Handoff's public REST API, called as a user's script would; timings are taken around these calls. */
final class HandoffClient {

    /** A task the API accepted, with the client's clock when the 202 arrived and the POST's round trip. */
    record Accepted(String taskId, String sessionId, long acceptedAtNanos, Duration postRoundTrip) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    // HTTP/1.1: no h2c upgrade attempt on the first request of each connection to skew the timings
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiToken;

    /** Calls as the owner of {@code apiToken} (sent as {@code Authorization: Bearer}). */
    HandoffClient(String baseUrl, String apiToken) {
        this.baseUrl = baseUrl;
        this.apiToken = apiToken;
    }

    String createProject(String name, String repositoryUrl) {
        HttpResponse<String> response = post("/api/projects", JSON.createObjectNode().put("name", name)
            .put("repositoryUrl", repositoryUrl).put("defaultBranch", "main").toString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("project not created: " + response.statusCode() + " " + response.body());
        }
        return read(response.body()).path("id").asText();
    }

    Accepted submitTask(String projectId, String description) {
        String body = JSON.createObjectNode().put("description", description).toString();
        long sent = System.nanoTime();
        HttpResponse<String> response = post("/api/projects/" + projectId + "/tasks", body);
        long accepted = System.nanoTime();
        if (response.statusCode() != 202) {
            throw new IllegalStateException("task not accepted: " + response.statusCode() + " " + response.body());
        }
        JsonNode answer = read(response.body());
        return new Accepted(answer.path("taskId").asText(), answer.path("sessionId").asText(), accepted,
            Duration.ofNanos(accepted - sent));
    }

    /** POST /api/nodes/attach: a new attached node's id and one-time token, as {@code nodeId} and {@code token}. */
    JsonNode attachNode() {
        HttpResponse<String> response = post("/api/nodes/attach", "");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("node not attached: " + response.statusCode() + " " + response.body());
        }
        return read(response.body());
    }

    /** The caller's node {@code nodeId} from {@code GET /api/nodes} (status, health); a missing node if not listed. */
    JsonNode node(String nodeId) {
        for (JsonNode node : get("/api/nodes")) {
            if (node.path("id").asText().equals(nodeId)) {
                return node;
            }
        }
        return JSON.missingNode();
    }

    /** The base URL and the bearer token, for a request this client does not make (the SSE stream). */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + apiToken);
    }

    /** GET /api/tasks/{id}: status, stopReason, failureReason, createdAt and the timeline. */
    JsonNode task(String taskId) {
        return get("/api/tasks/" + taskId);
    }

    /** GET /api/sessions/{id}/messages?after=..&limit=..: one page of the chat. */
    JsonNode messages(String sessionId, long after, int limit) {
        return get("/api/sessions/" + sessionId + "/messages?after=" + after + "&limit=" + limit);
    }

    private JsonNode get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", "Bearer " + apiToken).timeout(REQUEST_TIMEOUT).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return read(response.body());
    }

    private HttpResponse<String> post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiToken)
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
