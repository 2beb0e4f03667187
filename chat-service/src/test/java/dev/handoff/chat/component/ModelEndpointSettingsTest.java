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
 * A user's model endpoint per agent (settings, beside the API key): checked as a URL (400 naming the field), listed
 * back, and handed to the gateway with the task's secrets over this installation's endpoint
 * ({@code handoff.agents.model-endpoint.gemini-cli} in {@link ComponentProfiles}).
 */
@QuarkusTest
@TestProfile(ComponentProfiles.ShortRetention.class)
class ModelEndpointSettingsTest {

    @TestHTTPResource("/")
    URL chat;

    private ChatApi api;
    private ChatApi gateway;

    @BeforeEach
    void signIn() throws Exception {
        api = new ChatApi(chat, ApiSignIn.apiToken(chat.toString().replaceAll("/$", ""),
            ComponentProfiles.OPERATOR_EMAIL, ComponentProfiles.OPERATOR_PASSWORD));
        gateway = new ChatApi(chat, ComponentProfiles.INTERNAL_TOKEN);
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRefusedNamingTheField() {
        for (String url : new String[] {"", "not a url", "ftp://gateway.example/x", "https:///no-host",
            "https://user:sk-ant-key@gateway.example/", "https://gateway.example/#part"}) {
            ChatApi.Answer answer = api.sendRaw("PUT", "/api/settings/model-endpoints/claude-code",
                "{\"url\": \"" + url + "\"}");
            assertThat(answer.status()).as(url).isEqualTo(400);
            assertThat(answer.body().path("field").asText()).as(url).isEqualTo("url");
        }
        ChatApi.Answer noBody = api.sendRaw("PUT", "/api/settings/model-endpoints/claude-code", "null");
        assertThat(noBody.body().path("field").asText()).isEqualTo("url");
    }

    @Test
    void anAgentThisHandoffDoesNotOfferOrCannotPointElsewhereIsRefusedNamingTheAgent() {
        ChatApi.Answer unknown = api.sendRaw("PUT", "/api/settings/model-endpoints/no-such-agent",
            "{\"url\": \"https://gateway.example\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("field").asText()).isEqualTo("agent");

        ChatApi.Answer codex = api.sendRaw("PUT", "/api/settings/model-endpoints/codex",
            "{\"url\": \"https://gateway.example\"}");
        assertThat(codex.status()).isEqualTo(400);
        assertThat(codex.body().path("field").asText()).isEqualTo("agent");
        assertThat(codex.body().path("message").asText()).contains("claude-code", "gemini-cli");
    }

    @Test
    void theUsersEndpointIsListedAndReachesTheTasksNodeOverTheInstallations() {
        String project = api.createProject("model-endpoint");
        String task = api.submitTask(project, "Which model answers?").path("taskId").asText();
        JsonNode before = gateway.sendRaw("GET", "/internal/tasks/" + task + "/secrets", "").body();
        assertThat(before.path("modelEndpoints").path("gemini-cli").asText())
            .isEqualTo(ComponentProfiles.INSTALLATION_GEMINI_ENDPOINT);

        assertThat(api.sendRaw("PUT", "/api/settings/model-endpoints/claude-code",
            "{\"url\": \" https://my-gateway.example/anthropic \"}").status()).isEqualTo(204);
        assertThat(api.sendRaw("PUT", "/api/settings/model-endpoints/gemini-cli",
            "{\"url\": \"http://127.0.0.1:4000/gemini\"}").status()).isEqualTo(204);

        JsonNode listed = api.sendRaw("GET", "/api/settings/model-endpoints", "").body().path("modelEndpoints");
        assertThat(listed.findValuesAsText("agent")).containsExactly("claude-code", "gemini-cli");
        assertThat(listed.get(0).path("url").asText()).isEqualTo("https://my-gateway.example/anthropic");
        JsonNode forNode = gateway.sendRaw("GET", "/internal/tasks/" + task + "/secrets", "").body();
        assertThat(forNode.path("modelEndpoints").path("claude-code").asText())
            .isEqualTo("https://my-gateway.example/anthropic");
        assertThat(forNode.path("modelEndpoints").path("gemini-cli").asText()).isEqualTo("http://127.0.0.1:4000/gemini");

        assertThat(api.sendRaw("DELETE", "/api/settings/model-endpoints/gemini-cli", "").status()).isEqualTo(204);
        JsonNode afterDelete = gateway.sendRaw("GET", "/internal/tasks/" + task + "/secrets", "").body();
        assertThat(afterDelete.path("modelEndpoints").path("gemini-cli").asText())
            .isEqualTo(ComponentProfiles.INSTALLATION_GEMINI_ENDPOINT);
        assertThat(api.sendRaw("DELETE", "/api/settings/model-endpoints/claude-code", "").status()).isEqualTo(204);
    }
}
