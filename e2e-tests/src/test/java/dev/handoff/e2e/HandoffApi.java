package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Handoff's public REST API, called exactly as a user's script would. */
final class HandoffApi {

    record Answer(int status, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    HandoffApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Answer post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build());
    }

    Answer delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE().build());
    }

    /** The caller's nodes ({@code GET /api/nodes}). */
    List<JsonNode> nodes() {
        Answer answer = get("/api/nodes");
        if (answer.status() != 200) {
            throw new IllegalStateException("nodes not listed: " + answer);
        }
        List<JsonNode> all = new ArrayList<>();
        answer.body().forEach(all::add);
        return all;
    }

    /** One of the caller's nodes from the list, or a missing node. */
    JsonNode node(String nodeId) {
        return nodes().stream().filter(n -> n.path("id").asText().equals(nodeId)).findFirst()
            .orElse(JSON.missingNode());
    }

    /** Deletes one of the caller's nodes ({@code DELETE /api/nodes/{id}}); the answer as is. */
    Answer deleteNode(String nodeId) {
        return delete("/api/nodes/" + nodeId);
    }

    /** Creates a node token for the caller's own machine ({@code POST /api/nodes/attach}); the 201 answer's body. */
    JsonNode attachNode() {
        Answer answer = post("/api/nodes/attach", "");
        if (answer.status() != 201) {
            throw new IllegalStateException("attach token not created: " + answer);
        }
        return answer.body();
    }

    String createProject(String name, String repositoryUrl) {
        Answer answer = post("/api/projects", JSON.createObjectNode().put("name", name)
            .put("repositoryUrl", repositoryUrl).put("defaultBranch", "main").toString());
        if (answer.status() != 201) {
            throw new IllegalStateException("project not created: " + answer);
        }
        return answer.body().path("id").asText();
    }

    /** Submits a task; returns the 202 answer's body (taskId, sessionId). */
    JsonNode submitTask(String projectId, String description) {
        Answer answer = post("/api/projects/" + projectId + "/tasks",
            JSON.createObjectNode().put("description", description).toString());
        if (answer.status() != 202) {
            throw new IllegalStateException("task not accepted: " + answer);
        }
        return answer.body();
    }

    /** Asks to cancel the task; returns the answer as is (202 with the task, 404, 409). */
    Answer cancelTask(String taskId) {
        return post("/api/tasks/" + taskId + "/cancel", "");
    }

    JsonNode task(String taskId) {
        return get("/api/tasks/" + taskId).body();
    }

    /** Every message of the session, paging with {@code after}. */
    List<JsonNode> messages(String sessionId) {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = get("/api/sessions/" + sessionId + "/messages?after=" + after + "&limit=50").body();
            page.path("messages").forEach(all::add);
            if (page.path("messages").isEmpty()) {
                return all;
            }
            after = page.path("nextAfter").asLong();
        }
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
