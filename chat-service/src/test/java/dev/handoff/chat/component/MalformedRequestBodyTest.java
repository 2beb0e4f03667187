package dev.handoff.chat.component;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.ApiSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request body that is not JSON is refused with 400 and a message that says so and where it broke (line and
 * column), as a person fixing their curl command needs it, instead of a bare "HTTP 400 Bad Request".
 */
@QuarkusTest
@TestProfile(ComponentProfiles.ShortRetention.class)
class MalformedRequestBodyTest {

    @TestHTTPResource("/")
    URL chat;

    private ChatApi api;

    @BeforeEach
    void signIn() throws Exception {
        api = new ChatApi(chat, ApiSignIn.apiToken(chat.toString().replaceAll("/$", ""),
            ComponentProfiles.OPERATOR_EMAIL, ComponentProfiles.OPERATOR_PASSWORD));
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithWhereItBroke() {
        ChatApi.Answer answer = api.sendRaw("POST", "/api/projects",
            "{\n  \"name\": \"demo\",\n  \"repositoryUrl\": oops\n}");

        assertThat(answer.status()).isEqualTo(400);
        String message = answer.body().path("message").asText();
        assertThat(message).startsWith("the request body is not valid JSON (line 3, column ")
            .contains("Unrecognized token 'oops'");
        assertThat(answer.body().path("status").asInt()).isEqualTo(400);
    }

    @Test
    void aBodyCutShortIsRefusedWithWhereItEnded() {
        JsonNode project = api.sendRaw("POST", "/api/projects", "{\"name\": \"demo\"").body();

        assertThat(project.path("message").asText()).startsWith("the request body is not valid JSON (line 1, column ")
            .contains("end-of-input");
    }

    @Test
    void aBodyThatIsNotJsonAtAllIsRefusedOnEveryEndpoint() {
        String projectId = api.createProject("malformed-body");
        ChatApi.Answer answer = api.sendRaw("POST", "/api/projects/" + projectId + "/tasks",
            "description=Fix the bug");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("message").asText())
            .startsWith("the request body is not valid JSON (line 1, column ").contains("'description'");
    }
}
