package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.handoff.localstack.ApiSignIn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Handoff's public REST API, called exactly as a user's script would: with a personal API token
 * ({@code Authorization: Bearer}). {@code new HandoffApi(url)} is a new user of its own, signed up (the test stacks
 * open sign-up) on its first call; {@link #signIn} is an existing account; {@link #anonymous} sends no credential.
 */
final class HandoffApi {

    record Answer(int status, JsonNode body, HttpHeaders headers) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** One Server-Sent Event of a session's live stream: {@code message} (id = revision) or {@code task}. */
    record StreamEvent(String name, String id, JsonNode data) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final CookieManager cookieJar = new CookieManager();
    private final String baseUrl;
    private final String email;
    private final Supplier<String> obtainToken;
    private final boolean browser;
    private volatile String token;

    /** A new user of the Handoff at {@code baseUrl}, signed up on the first call. */
    HandoffApi(String baseUrl) {
        this(baseUrl, "user-" + UUID.randomUUID().toString().substring(0, 12) + "@e2e.handoff.test", null);
    }

    private HandoffApi(String baseUrl, String email, Supplier<String> obtainToken) {
        this(baseUrl, email, obtainToken, false);
    }

    private HandoffApi(String baseUrl, String email, Supplier<String> obtainToken, boolean browser) {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        this.http = browser ? client.cookieHandler(cookieJar).build() : client.build();
        this.browser = browser;
        this.baseUrl = baseUrl;
        this.email = email;
        this.obtainToken = obtainToken != null ? obtainToken
            : () -> ApiSignIn.signUpForToken(baseUrl, email, UUID.randomUUID().toString(), "E2E " + email);
    }

    /** The account with this email and password. */
    static HandoffApi signIn(String baseUrl, String email, String password) {
        return new HandoffApi(baseUrl, email, () -> ApiSignIn.apiToken(baseUrl, email, password));
    }

    /** Calls with this bearer token as is. */
    static HandoffApi withToken(String baseUrl, String token) {
        return new HandoffApi(baseUrl, null, () -> token);
    }

    /**
     * Calls as the web page does: no token, the cookies the server sets (sign in with {@code post("/api/auth/login",
     * ..)}), and the {@code X-Handoff-Client: web} header on every request.
     */
    static HandoffApi browser(String baseUrl) {
        return new HandoffApi(baseUrl, null, () -> null, true);
    }

    /** Calls without any credential. */
    static HandoffApi anonymous(String baseUrl) {
        return new HandoffApi(baseUrl, null, () -> null);
    }

    String email() {
        return email;
    }

    /** This user's API token (signs up or in first when needed); null for {@link #anonymous}. */
    String token() {
        String current = token;
        if (current == null) {
            synchronized (this) {
                if (token == null) {
                    token = obtainToken.get();
                }
                current = token;
            }
        }
        return current;
    }

    Answer post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    Answer put(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    Answer delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE());
    }

    /** Any request, e.g. {@code request("POST", "/api/tasks/x/cancel", "")}. */
    Answer request(String method, String path, String jsonBody) {
        return request(method, path, jsonBody, Map.of());
    }

    /**
     * Any request with extra headers; a header given here replaces the one this client would send, and an empty
     * value leaves it out (e.g. {@code Map.of("X-Handoff-Client", "")}).
     */
    Answer request(String method, String path, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder, headers);
    }

    /** Stores a secret (write-only); returns the answer as is (204, 400 naming the field, 503). */
    Answer putSecret(String name, String value) {
        return put("/api/settings/secrets/" + name, JSON.createObjectNode().put("value", value).toString());
    }

    /** The caller's secrets: names and when set. */
    JsonNode secrets() {
        return get("/api/settings/secrets").body();
    }

    Answer deleteSecret(String name) {
        return delete("/api/settings/secrets/" + name);
    }

    /**
     * A browser's GET of {@code url} (absolute, or a path on Handoff) with its cookies and no credential of this
     * client's own; redirects are not followed, so OIDC tests see each hop's status and {@code Location}.
     */
    Answer visit(String url, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(absolute(url)).GET();
        headers.forEach(builder::header);
        return sendAsIs(builder);
    }

    Answer visit(String url) {
        return visit(url, Map.of());
    }

    /** A browser's form submission ({@code application/x-www-form-urlencoded}) to {@code url}, not redirected. */
    Answer submitForm(String url, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&")
            .append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
            .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return sendAsIs(HttpRequest.newBuilder(absolute(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** The browser's cookies as {@code name=value} (for a {@code Cookie} header); none for other clients. */
    List<String> cookies() {
        return cookieJar.getCookieStore().getCookies().stream().map(c -> c.getName() + "=" + c.getValue()).toList();
    }

    /** The {@code Location} of a redirect, relative to Handoff when it points there (e.g. {@code /#/projects}). */
    String location(Answer answer) {
        String location = answer.headers().firstValue("Location").orElseThrow(() ->
            new AssertionError("no Location in " + answer));
        return location.startsWith(baseUrl + "/") ? location.substring(baseUrl.length()) : location;
    }

    /**
     * The first OIDC hops of a browser: {@code GET /auth/oidc/login}, then the callback, which quarkus-oidc answers
     * with a redirect to the provider (and the state cookie). Returns the provider's authorization URL.
     */
    String startOidcSignIn() {
        Answer login = visit("/auth/oidc/login");
        expectRedirect(login, "GET /auth/oidc/login");
        Answer challenge = visit(location(login));
        expectRedirect(challenge, "GET " + location(login));
        return location(challenge);
    }

    /**
     * At the provider's sign-in form: signs in as {@code login} (or cancels); returns where the provider sends the
     * browser back (Handoff's callback with {@code code} and {@code state}, or {@code error}).
     */
    String answerAtProvider(String authorizationUrl, String login, boolean approve) {
        Answer form = visit(authorizationUrl);
        if (form.status() != 200) {
            throw new AssertionError("the provider's sign-in form: " + form);
        }
        URI uri = URI.create(authorizationUrl);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            fields.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        fields.put("username", login);
        fields.put("decision", approve ? "approve" : "deny");
        Answer decision = submitForm(uri.resolve("/authorize").toString(), fields);
        expectRedirect(decision, "POST /authorize at the provider");
        return location(decision);
    }

    /**
     * Back at Handoff with the provider's answer: follows Handoff's redirects under {@code /auth/oidc/}; returns
     * where the browser ends up ({@code /#/projects} when signed in, {@code /#/signin?error=...} when not).
     */
    String finishOidcSignIn(String callbackUrl, Map<String, String> headers) {
        String next = callbackUrl;
        for (int hop = 0; hop < 5; hop++) {
            Answer answer = visit(next, headers);
            expectRedirect(answer, "GET " + next);
            next = location(answer);
            if (!next.startsWith("/auth/oidc/")) {
                return next;
            }
        }
        throw new AssertionError("more than 5 redirects at Handoff after the provider");
    }

    /** A browser (cookies, {@code X-Handoff-Client: web}) signed in through the OIDC provider as {@code login}. */
    static HandoffApi signInWithOidc(String baseUrl, String login) {
        HandoffApi browser = browser(baseUrl);
        String landed = browser.finishOidcSignIn(
            browser.answerAtProvider(browser.startOidcSignIn(), login, true), Map.of());
        if (!landed.equals("/#/projects")) {
            throw new AssertionError("OIDC sign-in of " + login + " ended at " + landed);
        }
        return browser;
    }

    private static void expectRedirect(Answer answer, String what) {
        if (answer.status() != 302 && answer.status() != 303) {
            throw new AssertionError(what + " should redirect: " + answer);
        }
    }

    private URI absolute(String url) {
        return URI.create(url.startsWith("/") ? baseUrl + url : url);
    }

    private Answer sendAsIs(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.nullNode() : readJson(response.body());
            return new Answer(response.statusCode(), body, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        String bearer = token();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
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
        return createProject(name, repositoryUrl, null);
    }

    /** A project whose permission policy is {@code permissionPolicy} ({@code allow}, {@code ask}; null: default). */
    String createProject(String name, String repositoryUrl, String permissionPolicy) {
        return createProject(name, repositoryUrl, permissionPolicy, null);
    }

    /** A project of team {@code teamId} (null: the caller's own), with {@code permissionPolicy} (null: default). */
    String createProject(String name, String repositoryUrl, String permissionPolicy, String teamId) {
        Answer answer = post("/api/projects", projectBody(name, repositoryUrl, permissionPolicy, teamId));
        if (answer.status() != 201) {
            throw new IllegalStateException("project not created: " + answer);
        }
        return answer.body().path("id").asText();
    }

    /** The JSON body of {@code POST /api/projects}; null values are left out. */
    static String projectBody(String name, String repositoryUrl, String permissionPolicy, String teamId) {
        var body = JSON.createObjectNode().put("name", name).put("repositoryUrl", repositoryUrl)
            .put("defaultBranch", "main");
        if (permissionPolicy != null) {
            body.put("permissionPolicy", permissionPolicy);
        }
        if (teamId != null) {
            body.put("teamId", teamId);
        }
        return body.toString();
    }

    /** The caller's user id ({@code GET /api/me}). */
    String userId() {
        return get("/api/me").body().path("id").asText();
    }

    /** Creates a team with the caller as its owner; returns its id. */
    String createTeam(String name) {
        Answer answer = post("/api/teams", JSON.createObjectNode().put("name", name).toString());
        if (answer.status() != 201) {
            throw new IllegalStateException("team not created: " + answer);
        }
        return answer.body().path("id").asText();
    }

    /** Adds the account with {@code email} to the team as {@code role}; the answer as is (201, 400, 403, 404, 409). */
    Answer addTeamMember(String teamId, String email, String role) {
        return post("/api/teams/" + teamId + "/members", JSON.createObjectNode().put("email", email)
            .put("role", role).toString());
    }

    /** Removes a member from the team (or leaves it, with the caller's own id); the answer as is. */
    Answer removeTeamMember(String teamId, String userId) {
        return delete("/api/teams/" + teamId + "/members/" + userId);
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

    /** Submits a task for a named agent; returns the 202 answer's body (taskId, sessionId). */
    JsonNode submitTask(String projectId, String description, String agent) {
        Answer answer = post("/api/projects/" + projectId + "/tasks",
            JSON.createObjectNode().put("description", description).put("agent", agent).toString());
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

    /** The project's chat sessions, newest first: {@code id, taskId, topic, status, createdAt} each. */
    List<JsonNode> sessions(String projectId) {
        Answer answer = get("/api/projects/" + projectId + "/sessions");
        if (answer.status() != 200) {
            throw new IllegalStateException("sessions not listed: " + answer);
        }
        List<JsonNode> sessions = new ArrayList<>();
        answer.body().forEach(sessions::add);
        return sessions;
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

    /**
     * Opens a Server-Sent Events stream and closes it once the answer's head is in: the status, and the body only
     * when it is not a 200 stream.
     */
    Answer openStream(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Accept", "text/event-stream").GET();
        String bearer = token();
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                JsonNode json = response.statusCode() == 200 ? JSON.nullNode()
                    : readJson(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                return new Answer(response.statusCode(), json, response.headers());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Answer send(HttpRequest.Builder builder) {
        return send(builder, Map.of());
    }

    private Answer send(HttpRequest.Builder builder, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        String bearer = token();
        if (bearer != null) {
            all.put("Authorization", "Bearer " + bearer);
        }
        if (browser) {
            all.put("X-Handoff-Client", "web");
        }
        all.putAll(headers);
        all.forEach((name, value) -> {
            if (!value.isEmpty()) {
                builder.header(name, value);
            }
        });
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.nullNode() : readJson(response.body());
            return new Answer(response.statusCode(), body, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }
}
