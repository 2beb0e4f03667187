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

    String createProject(String name, String repositoryUrl) {
        return createProject(name, repositoryUrl, null);
    }

    /** A project whose permission policy is {@code permissionPolicy} ({@code allow}, {@code ask}; null: default). */
    String createProject(String name, String repositoryUrl, String permissionPolicy) {
        var body = JSON.createObjectNode().put("name", name).put("repositoryUrl", repositoryUrl)
            .put("defaultBranch", "main");
        if (permissionPolicy != null) {
            body.put("permissionPolicy", permissionPolicy);
        }
        Answer answer = post("/api/projects", body.toString());
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

    /** Sends a follow-up message to the session's agent; returns the answer as is (202, 400, 404, 409). */
    Answer sendFollowUp(String sessionId, String text) {
        return post("/api/sessions/" + sessionId + "/messages", JSON.createObjectNode().put("text", text).toString());
    }

    /** Answers the agent's permission request; returns the answer as is (202, 400, 404, 409). */
    Answer answerPermission(String taskId, String requestId, String optionId) {
        return post("/api/tasks/" + taskId + "/permissions/" + requestId,
            JSON.createObjectNode().put("optionId", optionId).toString());
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
