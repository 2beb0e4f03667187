package dev.handoff.chat.component;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to chat-service's API is refused with a 4xx whose body names the field, and nothing is stored: sign-up,
 * projects (name, repository address, node size, permission policy, a team the caller is not in), tasks, follow-ups,
 * teams and their members, secrets. Each capability's path through every process is proven end to end; these are
 * the cases chat-service decides alone.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class RequestValidationTest {

    private static final String PASSWORD = "a long enough password";

    @TestHTTPResource("/")
    URL chat;

    @Test
    void signUpRefusesAShortPasswordAndATakenEmail() {
        String email = email("short");
        assertRefused(ChatClient.browser(chat).post("/api/auth/signup",
            "{\"email\":\"" + email + "\",\"password\":\"short\"}"), 400, "password");
        ChatClient.signUpForToken(chat, email, PASSWORD);
        assertRefused(ChatClient.browser(chat).post("/api/auth/signup",
            "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}"), 409, "email");
    }

    @Test
    void aProjectIsRefusedNamingTheFieldThatIsWrong() {
        ChatClient user = signUp();
        assertRefused(user.post("/api/projects", project("", "https://example.com/a/b.git", "")), 400, "name");
        assertRefused(user.post("/api/projects", project("p", "not a url", "")), 400, "repositoryUrl");
        assertRefused(user.post("/api/projects", project("p", "https://127.0.0.1/a/b.git", "")), 400,
            "repositoryUrl");
        assertRefused(user.post("/api/projects", project("p", "https://example.com/a/b.git",
            ",\"defaultNodeSize\":\"enormous\"")), 400, "defaultNodeSize");
        assertRefused(user.post("/api/projects", project("p", "https://example.com/a/b.git",
            ",\"permissionPolicy\":\"sometimes\"")), 400, "permissionPolicy");
        String othersTeam = signUp().post("/api/teams", "{\"name\":\"theirs\"}").body().path("id").asText();
        assertRefused(user.post("/api/projects", project("p", "https://example.com/a/b.git",
            ",\"teamId\":\"" + othersTeam + "\"")), 400, "teamId");
        assertThat(user.get("/api/projects").body()).as("nothing stored").isEmpty();
    }

    @Test
    void aTaskNeedsADescriptionAndAFollowUpNeedsText() {
        ChatClient user = signUp();
        String projectId = user.post("/api/projects", project("p", "https://example.com/a/b.git", ""))
            .body().path("id").asText();
        assertRefused(user.post("/api/projects/" + projectId + "/tasks", "{\"description\":\" \"}"), 400,
            "description");
        String sessionId = user.post("/api/projects/" + projectId + "/tasks", "{\"description\":\"do it\"}")
            .body().path("sessionId").asText();
        assertRefused(user.post("/api/sessions/" + sessionId + "/messages", "{\"text\":\" \"}"), 400, "text");
    }

    @Test
    void teamMembersMustHaveAnAccountARoleHandoffKnowsAndBeAddedOnce() {
        ChatClient owner = signUp();
        String teammate = email("teammate");
        ChatClient.signUpForToken(chat, teammate, PASSWORD);
        assertRefused(owner.post("/api/teams", "{\"name\":\" \"}"), 400, "name");
        String teamId = owner.post("/api/teams", "{\"name\":\"team\"}").body().path("id").asText();

        assertRefused(owner.post("/api/teams/" + teamId + "/members", member(email("nobody"), "member")), 400,
            "email");
        assertRefused(owner.post("/api/teams/" + teamId + "/members", member(teammate, "admin")), 400, "role");
        assertThat(owner.post("/api/teams/" + teamId + "/members", member(teammate.toUpperCase(), "member"))
            .status()).isEqualTo(201);
        assertRefused(owner.post("/api/teams/" + teamId + "/members", member(teammate, "member")), 409, "email");
    }

    @Test
    void aSecretNeedsANameOfLowercaseLettersDigitsAndUnderscoresAndAValue() {
        ChatClient user = signUp();
        assertRefused(user.request("PUT", "/api/settings/secrets/Not-A-Name", "{\"value\":\"v\"}",
            java.util.Map.of()), 400, "name");
        assertRefused(user.request("PUT", "/api/settings/secrets/github_token", "{\"value\":\" \"}",
            java.util.Map.of()), 400, "value");
        assertThat(user.get("/api/settings/secrets").text()).doesNotContain("github_token");
    }

    private static void assertRefused(ChatClient.Answer answer, int status, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.body().path("status").asInt()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.body().path("field").asText()).as(answer.toString()).isEqualTo(field);
        assertThat(answer.body().path("message").asText()).as(answer.toString()).isNotBlank();
    }

    private ChatClient signUp() {
        return ChatClient.signUpForToken(chat, email("user"), PASSWORD);
    }

    private static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@component.test";
    }

    private static String project(String name, String repositoryUrl, String more) {
        return "{\"name\":\"" + name + "\",\"repositoryUrl\":\"" + repositoryUrl + "\",\"defaultBranch\":\"main\""
            + more + "}";
    }

    private static String member(String email, String role) {
        return "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}";
    }
}
