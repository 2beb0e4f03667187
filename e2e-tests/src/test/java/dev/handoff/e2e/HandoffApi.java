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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Handoff's public REST API, called exactly as a user's script would. */
final class HandoffApi {

    record Answer(int status, JsonNode body) {
    }

    /** One Server-Sent Event of a session's live stream: {@code message} (id = revision) or {@code task}. */
    record StreamEvent(String name, String id, JsonNode data) {
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

    Answer put(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    /** The base URL a browser opens (the web chat is served by chat-service). */
    String baseUrl() {
        return baseUrl;
    }

    /**
     * Reads {@code GET /api/sessions/{id}/stream} (with {@code Last-Event-ID} when not null, and the query string
     * {@code query}) until {@code enough} holds for the events so far; fails after {@code atMost}.
     */
    List<StreamEvent> stream(String sessionId, String lastEventId, String query,
                             Predicate<List<StreamEvent>> enough, Duration atMost) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/sessions/" + sessionId
            + "/stream" + (query == null ? "" : "?" + query))).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        List<StreamEvent> events = new ArrayList<>();
        CompletableFuture<List<StreamEvent>> read = CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = http.send(request.build(), HttpResponse.BodyHandlers.ofLines()).body()) {
                String name = null;
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (name != null) {
                            synchronized (events) {
                                events.add(new StreamEvent(name, id, JSON.readTree(data.toString())));
                                if (enough.test(List.copyOf(events))) {
                                    return List.copyOf(events);
                                }
                            }
                        }
                        name = null;
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                }
                throw new IllegalStateException("the stream ended after " + events.size() + " events");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        try {
            return read.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            read.cancel(true);
            synchronized (events) {
                throw new AssertionError("the stream did not deliver what was awaited within " + atMost + "; got "
                    + events.stream().map(ev -> ev.name() + "#" + ev.id()).toList());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
