package dev.handoff.chat.component;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.ApiSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The access-control matrix, one tier down (chat-service decides who sees what alone): every endpoint of the public
 * API, tried as no one (401), as another signed-in user (404 for the owner's things, 403 for operator-only ones;
 * never any of the owner's data in the body), and as the owner (the positive answer). {@link #ENDPOINTS} is the
 * list; {@link #everyEndpointInTheResourcesIsInTheMatrix} reads chat-service's resource classes and fails when an
 * endpoint is missing from it, so a new endpoint gets its row here. {@link #eachTeamThingAsNoOneAsANonMemberAndAsAMember}
 * runs the rows again on a team's project, its session and task, and the team itself: no one 401, a user outside
 * the team 404, a member (not the project's creator) the positive answer for reads.
 *
 * <p>Only chat-service runs here (its PostgreSQL and Kafka real, {@link ComponentProfiles.Standard}): tasks stay
 * queued, and the rows whose owner's answer needs a peer ({@link #NEEDS_A_PEER}: the provisioner's nodes, the
 * orchestrator's dead letters) get that peer's absence as the owner (503) while the refusals are chat-service's own.
 * Those owners' answers cross the real processes in their capabilities' end-to-end tests (NodeListPagingEndToEndTest,
 * AttachNodeEndToEndTest, PoisonEndToEndTest); the path of "who sees what" is e2e TeamsEndToEndTest.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlTest {

    /** Who may use an endpoint, and what another user gets. */
    enum Scope {
        /** The caller's own thing (or their team's) named in the path: another user gets 404. */
        OWNED(404),
        /** Operators only: another (non-operator) user gets 403. */
        OPERATOR(403),
        /** Acts on the caller's own account or creates something new: another user gets their own answer. */
        SELF(-1),
        /** Service-to-service (the shared service token): every user, the owner too, gets 401. */
        INTERNAL(401);

        final int otherUserStatus;

        Scope(int otherUserStatus) {
            this.otherUserStatus = otherUserStatus;
        }
    }

    /**
     * One row: method, path ({@code {project}}, {@code {task}}, {@code {session}}, {@code {token}},
     * {@code {team}} are the owner's ids, {@code {member}} a member of the owner's team; {@code {partition}/{offset}}
     * a dead letter that does not exist), body, who may use it, and what the owner may get. Rows run in order;
     * state-changing ones come last. A row whose endpoint chat-service does not declare (yet) is skipped.
     */
    record Endpoint(String method, String path, String body, Scope scope, Set<Integer> ownerStatuses) {
        Endpoint(String method, String path, String body, Scope scope, int ownerStatus) {
            this(method, path, body, scope, Set.of(ownerStatus));
        }

        /** {@code METHOD /path} with path parameters as {@code {}}, as {@link #declaredEndpoints} lists them. */
        String shape() {
            return method + " " + path.replaceAll("\\{[^}]+}", "{}");
        }

        /** Server-Sent Events: only the status is read, the stream is then closed. */
        boolean stream() {
            return path.endsWith("/stream");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
        new Endpoint("GET", "/api/me", null, Scope.SELF, 200),
        new Endpoint("GET", "/api/agents", null, Scope.SELF, 200),
        new Endpoint("GET", "/api/vocabulary", null, Scope.SELF, 200),
        new Endpoint("GET", "/api/tokens", null, Scope.SELF, 200),
        // The matrix's callers prove themselves with API tokens: only a signed-in session makes tokens
        // (ApiTokenLifetimeTest makes them so), a token gets 403.
        new Endpoint("POST", "/api/tokens", "{\"name\":\"matrix\"}", Scope.SELF, 403),
        new Endpoint("POST", "/api/projects", "{\"name\":\"mine\",\"repositoryUrl\":\"https://example.com/a/b.git\"}",
            Scope.SELF, 201),
        new Endpoint("GET", "/api/projects/{project}", null, Scope.OWNED, 200),
        new Endpoint("GET", "/api/tasks/{task}", null, Scope.OWNED, 200),
        new Endpoint("GET", "/api/sessions/{session}/messages", null, Scope.OWNED, 200),
        new Endpoint("GET", "/api/ops/dead-letters", null, Scope.OPERATOR, 200),
        new Endpoint("POST", "/api/teams", "{\"name\":\"matrix team\"}", Scope.SELF, 201),
        new Endpoint("GET", "/api/teams", null, Scope.SELF, 200),
        new Endpoint("GET", "/api/teams/{team}", null, Scope.OWNED, 200),
        new Endpoint("PUT", "/api/teams/{team}", "{\"name\":\"renamed team\"}", Scope.OWNED, 200),
        new Endpoint("GET", "/api/settings/secrets", null, Scope.SELF, 200),
        new Endpoint("GET", "/api/nodes", null, Scope.SELF, 200),
        new Endpoint("POST", "/api/nodes/attach", "", Scope.SELF, 201),
        new Endpoint("DELETE", "/api/nodes/{node}", null, Scope.OWNED, 404),
        new Endpoint("PUT", "/api/settings/secrets/{secret}", "{\"value\":\"matrix-value\"}", Scope.SELF, 204),
        new Endpoint("GET", "/api/settings/model-endpoints", null, Scope.SELF, 200),
        new Endpoint("PUT", "/api/settings/model-endpoints/{agent}", "{\"url\":\"https://gateway.example.com\"}",
            Scope.SELF, 204),
        new Endpoint("GET", "/internal/tasks/{task}/secrets", null, Scope.INTERNAL, 401),
        new Endpoint("GET", "/internal/users/{user}/cloud-tokens/{cloudToken}", null, Scope.INTERNAL, 401),
        // being built by other helpers (web, conv): checked once chat-service declares them
        new Endpoint("GET", "/api/projects", null, Scope.SELF, 200),
        new Endpoint("GET", "/api/projects/{project}/sessions", null, Scope.OWNED, 200),
        new Endpoint("GET", "/api/sessions/{session}/stream", null, Scope.OWNED, 200),
        new Endpoint("PUT", "/api/projects/{project}", "{\"name\":\"renamed\",\"repositoryUrl\":"
            + "\"https://example.com/a/b.git\",\"defaultBranch\":\"main\"}", Scope.OWNED, 200),
        new Endpoint("POST", "/api/sessions/{session}/messages", "{\"text\":\"follow-up\"}", Scope.OWNED,
            Set.of(202, 409)),
        new Endpoint("POST", "/api/tasks/{task}/permissions/{request}", "{\"optionId\":\"allow\"}",
            Scope.OWNED, Set.of(202, 404, 409)),
        // state-changing rows last
        new Endpoint("POST", "/api/projects/{project}/tasks", "{\"description\":\"second task\"}", Scope.OWNED, 202),
        new Endpoint("POST", "/api/tasks/{task}/cancel", "", Scope.OWNED, Set.of(202, 409)),
        new Endpoint("POST", "/api/ops/dead-letters/{partition}/{offset}/replay", "", Scope.OPERATOR, 404),
        new Endpoint("DELETE", "/api/settings/secrets/{secret}", null, Scope.SELF, 204),
        new Endpoint("DELETE", "/api/settings/model-endpoints/{agent}", null, Scope.SELF, 204),
        new Endpoint("PUT", "/api/teams/{team}/members/{member}", "{\"role\":\"owner\"}", Scope.OWNED, 200),
        new Endpoint("DELETE", "/api/teams/{team}/members/{member}", null, Scope.OWNED, 204),
        new Endpoint("POST", "/api/teams/{team}/members", "{\"email\":\"{memberEmail}\",\"role\":\"member\"}",
            Scope.OWNED, 201),
        new Endpoint("DELETE", "/api/teams/{team}", null, Scope.OWNED, 204),
        new Endpoint("DELETE", "/api/tokens/{token}", null, Scope.OWNED, 204),
        // A wrong current password changes nothing (PasswordChangeTest changes one).
        new Endpoint("POST", "/api/auth/password", "{\"currentPassword\":\"not the password\","
            + "\"newPassword\":\"another long password\"}", Scope.SELF, 403),
        new Endpoint("POST", "/api/auth/logout", "", Scope.SELF, 204));

    /**
     * The rows whose answer to a signed-in caller comes from a peer service, absent in this tier: the owner (and, for
     * a node, another user: the provisioner looks it up under the caller) gets 503 naming the peer; no one's 401 is
     * chat-service's own and checked as in every row.
     */
    static final Set<String> NEEDS_A_PEER = Set.of("GET /api/nodes", "POST /api/nodes/attach",
        "DELETE /api/nodes/{}", "GET /api/ops/dead-letters", "POST /api/ops/dead-letters/{}/{}/replay");

    /**
     * Open to everyone by design (sign-in); not in the matrix, each one marked {@code @Public} in chat-service
     * ({@link #everyPublicEndpointIsMarkedPublicAndAnswersWithoutSigningIn}). The OIDC callback is answered by
     * quarkus-oidc (a redirect to the provider) until the provider has vouched for the caller.
     */
    static final Set<String> PUBLIC = Set.of("POST /api/auth/login", "POST /api/auth/signup",
        "GET /api/auth/providers", "GET /auth/oidc/login", "GET /auth/oidc/callback", "GET /auth/oidc/error");

    @TestHTTPResource("/")
    URL chat;

    private final String marker = UUID.randomUUID().toString().substring(0, 8);
    private final String ownerEmail = "owner-" + marker + "@component.test";
    private final String projectName = "owned-" + UUID.randomUUID();
    private final String taskText = "the owner's secret task " + UUID.randomUUID();
    private final String teamName = "the owner's team " + UUID.randomUUID();
    private final String teamProjectName = "team-owned-" + UUID.randomUUID();
    private final String teamTaskText = "the team's secret task " + UUID.randomUUID();
    private String ownerToken;
    private ChatClient owner;
    private ChatClient operator;
    private ChatClient other;
    private ChatClient nobody;
    /** In the owner's teams (not the project's creator). */
    private ChatClient teammate;
    private Map<String, String> ids;
    /** The same names bound to a team's things: its project, session and task, a second team of the owner's. */
    private Map<String, String> teamIds;
    private Set<String> declared;

    @BeforeAll
    void ownerHasAProjectATaskAndAToken() throws IOException {
        String origin = ChatClient.origin(chat);
        ownerToken = ApiSignIn.signUpForToken(origin, ownerEmail, "a long enough password", "Owner");
        owner = ChatClient.withToken(chat, ownerToken);
        operator = ChatClient.withToken(chat, ApiSignIn.apiToken(origin, ComponentProfiles.OPERATOR_EMAIL,
            ComponentProfiles.OPERATOR_PASSWORD));
        other = signUp("other");
        nobody = ChatClient.anonymous(chat);
        String teammateEmail = "teammate-" + marker + "@component.test";
        teammate = ChatClient.withToken(chat, ApiSignIn.signUpForToken(origin, teammateEmail,
            "a long enough password", "Teammate"));

        String projectId = created(owner.post("/api/projects", project(projectName, null)));
        JsonNode accepted = accepted(owner.post("/api/projects/" + projectId + "/tasks", task(taskText)));
        ChatClient ownerSignedIn = ChatClient.browser(chat);
        assertThat(ownerSignedIn.post("/api/auth/login", "{\"email\":\"" + ownerEmail
            + "\",\"password\":\"a long enough password\"}").status()).isEqualTo(200);
        String tokenId = created(ownerSignedIn.post("/api/tokens", "{\"name\":\"owned\"}"));
        // One team whose rows change it (rename, members, delete); the member rows start with the teammate in it.
        String teammateId = teammate.get("/api/me").body().path("id").asText();
        String teamId = created(owner.post("/api/teams", "{\"name\":\"" + teamName + "\"}"));
        assertThat(owner.post("/api/teams/" + teamId + "/members", member(teammateEmail)).status()).isEqualTo(201);
        ids = Map.ofEntries(Map.entry("project", projectId), Map.entry("task", accepted.path("taskId").asText()),
            Map.entry("session", accepted.path("sessionId").asText()), Map.entry("token", tokenId),
            Map.entry("partition", "0"), Map.entry("offset", "999999999"), Map.entry("secret", "github_token"),
            Map.entry("agent", "claude-code"), Map.entry("request", "no-such-request"),
            Map.entry("node", "no-such-node"), Map.entry("user", "someone"),
            Map.entry("cloudToken", "hetzner_token"), Map.entry("team", teamId),
            Map.entry("member", teammateId), Map.entry("memberEmail", teammateEmail));
        // A second team with a project and a task in it, for the team pass (which changes nothing).
        String sharedTeamId = created(owner.post("/api/teams", "{\"name\":\"" + teamName + "\"}"));
        assertThat(owner.post("/api/teams/" + sharedTeamId + "/members", member(teammateEmail)).status())
            .isEqualTo(201);
        String teamProjectId = created(owner.post("/api/projects", project(teamProjectName, sharedTeamId)));
        JsonNode teamTask = accepted(owner.post("/api/projects/" + teamProjectId + "/tasks", task(teamTaskText)));
        Map<String, String> team = new HashMap<>(ids);
        team.putAll(Map.of("project", teamProjectId, "task", teamTask.path("taskId").asText(), "session",
            teamTask.path("sessionId").asText(), "team", sharedTeamId));
        teamIds = Map.copyOf(team);
        declared = new TreeSet<>(declaredEndpoints(chatServiceSources()));
    }

    private ChatClient signUp(String who) {
        return ChatClient.withToken(chat, ApiSignIn.signUpForToken(ChatClient.origin(chat),
            who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@component.test", "a long enough password",
            who));
    }

    private static String project(String name, String teamId) {
        return "{\"name\":\"" + name + "\",\"repositoryUrl\":\"https://example.com/a/b.git\",\"defaultBranch\":\"main\""
            + (teamId == null ? "" : ",\"teamId\":\"" + teamId + "\"") + "}";
    }

    private static String task(String description) {
        return "{\"description\":\"" + description + "\"}";
    }

    private static String member(String email) {
        return "{\"email\":\"" + email + "\",\"role\":\"member\"}";
    }

    private static String created(ChatClient.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return answer.body().path("id").asText();
    }

    private static JsonNode accepted(ChatClient.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer.body();
    }

    /** chat-service's sources (the tests run in the module's folder). */
    private static Path chatServiceSources() {
        return Path.of("src/main/java");
    }

    @TestFactory
    Stream<DynamicTest> eachEndpointAsNoOneAsAnotherUserAndAsTheOwner() {
        return ENDPOINTS.stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.toString(), () -> {
            assumeTrue(declared.contains(endpoint.shape()), endpoint + " is not in chat-service yet");
            String path = resolve(endpoint.path());

            ChatClient.Answer anonymous = call(nobody, endpoint, path);
            assertThat(anonymous.status()).as("no one: " + endpoint).isEqualTo(401);
            assertNoOwnerData(anonymous, endpoint);

            ChatClient.Answer otherUser = call(other, endpoint, path);
            if (endpoint.scope() != Scope.SELF) {
                assertThat(otherUser.status()).as("another user: " + endpoint + " " + otherUser)
                    .isEqualTo(endpoint.scope() == Scope.OWNED && NEEDS_A_PEER.contains(endpoint.shape()) ? 503
                        : endpoint.scope().otherUserStatus);
            }
            assertNoOwnerData(otherUser, endpoint);

            ChatClient.Answer own = call(endpoint.scope() == Scope.OPERATOR ? operator : owner, endpoint, path);
            assertThat(own.status()).as("the owner (operator for operator-only): " + endpoint + " " + own)
                .isIn(ownerStatuses(endpoint));
        }));
    }

    private static Set<Integer> ownerStatuses(Endpoint endpoint) {
        return NEEDS_A_PEER.contains(endpoint.shape()) ? Set.of(503) : endpoint.ownerStatuses();
    }

    /**
     * The rows about a project, session, task or team, on a team's things: no one 401, a user outside the team 404
     * and none of the team's data; a member of the team (who did not create the project) gets the positive answer for
     * reads. Changes are tried only as the outsider, so the team and its project stay as they are.
     */
    @TestFactory
    Stream<DynamicTest> eachTeamThingAsNoOneAsANonMemberAndAsAMember() {
        Stream<DynamicTest> rows = ENDPOINTS.stream()
            .filter(e -> e.scope() == Scope.OWNED && TEAM_THINGS.matcher(e.path()).find())
            .map(endpoint -> DynamicTest.dynamicTest("team's " + endpoint, () -> {
                assumeTrue(declared.contains(endpoint.shape()), endpoint + " is not in chat-service yet");
                String path = resolve(endpoint.path(), teamIds);

                ChatClient.Answer anonymous = call(nobody, endpoint, path);
                assertThat(anonymous.status()).as("no one: " + endpoint).isEqualTo(401);
                assertNoOwnerData(anonymous, endpoint);

                ChatClient.Answer outsider = call(other, endpoint, path);
                assertThat(outsider.status()).as("outside the team: " + endpoint + " " + outsider).isEqualTo(404);
                assertNoOwnerData(outsider, endpoint);

                if (endpoint.method().equals("GET")) {
                    ChatClient.Answer member = call(teammate, endpoint, path);
                    assertThat(member.status()).as("a member: " + endpoint + " " + member)
                        .isIn(ownerStatuses(endpoint));
                }
            }));
        DynamicTest memberCancels = DynamicTest.dynamicTest("a member stops the team's task", () -> {
            ChatClient.Answer cancelled = teammate.post("/api/tasks/" + teamIds.get("task") + "/cancel", "");
            assertThat(cancelled.status()).as(cancelled.toString()).isIn(202, 409);
        });
        return Stream.concat(rows, Stream.of(memberCancels));
    }

    private static final Pattern TEAM_THINGS = Pattern.compile("\\{(project|task|session|team)}");

    private ChatClient.Answer call(ChatClient caller, Endpoint endpoint, String path) {
        return endpoint.stream() ? caller.openStream(path)
            : caller.request(endpoint.method(), path, endpoint.body() == null ? null : resolve(endpoint.body()),
                Map.of());
    }

    @Test
    void everyEndpointInTheResourcesIsInTheMatrix() throws IOException {
        Set<String> inMatrix = new TreeSet<>();
        ENDPOINTS.forEach(e -> inMatrix.add(e.shape()));
        Set<String> toCheck = new TreeSet<>(declaredEndpoints(chatServiceSources()));
        toCheck.removeAll(PUBLIC);

        assertThat(toCheck).as("endpoints of chat-service; add each missing one to ENDPOINTS")
            .isNotEmpty().isSubsetOf(inMatrix);
        assertThat(NEEDS_A_PEER).isSubsetOf(inMatrix);
    }

    @Test
    void everyPublicEndpointIsMarkedPublicAndAnswersWithoutSigningIn() throws IOException {
        assertThat(publicEndpoints(chatServiceSources())).as("methods marked @Public in chat-service")
            .containsExactlyInAnyOrderElementsOf(PUBLIC);
        ChatClient.Answer providers = nobody.get("/api/auth/providers");
        assertThat(providers.status()).isEqualTo(200);
        assertThat(providers.text()).doesNotContain(ownerEmail).doesNotContain("secret");
    }

    private String resolve(String template) {
        return resolve(template, ids);
    }

    private static String resolve(String template, Map<String, String> ids) {
        String path = template;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            path = path.replace("{" + id.getKey() + "}", id.getValue());
        }
        return path;
    }

    private void assertNoOwnerData(ChatClient.Answer answer, Endpoint endpoint) {
        assertThat(answer.text()).as("body for " + endpoint).doesNotContain(projectName).doesNotContain(taskText)
            .doesNotContain(ownerEmail).doesNotContain(ownerToken).doesNotContain(teamName)
            .doesNotContain(teamProjectName).doesNotContain(teamTaskText);
        if (answer.status() >= 400) {
            // An error names what was asked for at most, never what is stored under it.
            assertThat(answer.body().path("status").asInt()).isEqualTo(answer.status());
        }
    }

    private static final Pattern CLASS_PATH = Pattern.compile("^@Path\\(\"([^\"]*)\"\\)");
    private static final Pattern METHOD = Pattern.compile("^@(GET|POST|PUT|DELETE|PATCH)\\b");
    private static final Pattern METHOD_PATH = Pattern.compile("^@Path\\(\"([^\"]*)\"\\)");

    /** {@code METHOD /path} of the resource methods marked {@code @Public}. */
    static List<String> publicEndpoints(Path sources) throws IOException {
        return endpoints(sources, true);
    }

    /** {@code METHOD /path} of every JAX-RS resource method in the sources, path parameters as {@code {}}. */
    static List<String> declaredEndpoints(Path sources) throws IOException {
        return endpoints(sources, false);
    }

    private static List<String> endpoints(Path sources, boolean onlyPublic) throws IOException {
        List<String> endpoints = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String classPath = null;
            String method = null;
            String methodPath = "";
            boolean isPublic = false;
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                Matcher m;
                if (classPath == null && (m = CLASS_PATH.matcher(line)).find() && !raw.startsWith(" ")) {
                    classPath = m.group(1);
                } else if ((m = METHOD.matcher(line)).find()) {
                    method = m.group(1);
                    methodPath = "";
                    isPublic = false;
                } else if (method != null && (m = METHOD_PATH.matcher(line)).find()) {
                    methodPath = m.group(1);
                } else if (method != null && line.equals("@Public")) {
                    isPublic = true;
                } else if (method != null && line.startsWith("public ")) {
                    String path = (classPath == null ? "" : classPath) + (methodPath.isEmpty() ? "" : "/" + methodPath);
                    if (isPublic || !onlyPublic) {
                        endpoints.add(method + " " + path.replaceAll("/+", "/").replaceAll("\\{[^}]+}", "{}"));
                    }
                    method = null;
                }
            }
        }
        return endpoints;
    }
}
