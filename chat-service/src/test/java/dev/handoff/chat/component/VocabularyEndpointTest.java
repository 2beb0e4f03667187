package dev.handoff.chat.component;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.vocabulary.NodeSize;
import dev.handoff.contracts.vocabulary.PermissionPolicy;
import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.localstack.ApiSignIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page reads the shared vocabulary from {@code GET /api/vocabulary} instead of keeping a copy: every task
 * status of the contracts with what it means, the node sizes and permission policies a project may choose; and a
 * project's choices are checked against the same words.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.ShortRetention.class)
class VocabularyEndpointTest {

    @TestHTTPResource("/")
    URL chat;

    private ChatApi api;

    @BeforeEach
    void signIn() throws Exception {
        api = new ChatApi(chat, ApiSignIn.apiToken(chat.toString().replaceAll("/$", ""),
            ComponentProfiles.OPERATOR_EMAIL, ComponentProfiles.OPERATOR_PASSWORD));
    }

    @Test
    void theVocabularyIsTheContractsOne() {
        ChatApi.Answer answer = api.sendRaw("GET", "/api/vocabulary", "");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode vocabulary = answer.body();
        assertThat(names(vocabulary.path("taskStatuses")))
            .containsExactly(Arrays.stream(TaskStatus.values()).map(TaskStatus::wireName).toArray(String[]::new));
        JsonNode turnEnded = vocabulary.path("taskStatuses").get(TaskStatus.TURN_ENDED.ordinal());
        assertThat(turnEnded.path("label").asText()).isEqualTo("Turn ended");
        assertThat(turnEnded.path("inFlight").asBoolean()).isFalse();
        assertThat(turnEnded.path("cancellable").asBoolean()).isTrue();
        JsonNode failed = vocabulary.path("taskStatuses").get(TaskStatus.FAILED.ordinal());
        assertThat(failed.path("terminal").asBoolean()).isTrue();
        assertThat(failed.path("setback").asBoolean()).isTrue();
        assertThat(failed.path("waitingLabel").isNull()).isTrue();
        assertThat(names(vocabulary.path("nodeSizes"))).containsExactlyElementsOf(NodeSize.wireNames());
        assertThat(names(vocabulary.path("permissionPolicies"))).containsExactlyElementsOf(PermissionPolicy.wireNames());
        assertThat(vocabulary.path("defaultNodeSize").asText()).isEqualTo("small");
        assertThat(vocabulary.path("defaultPermissionPolicy").asText()).isEqualTo("allow");
    }

    @Test
    void aProjectsNodeSizeIsOneOfTheVocabularysWords() {
        ChatApi.Answer refused = api.sendRaw("POST", "/api/projects",
            "{\"name\":\"sized\",\"repositoryUrl\":\"https://example.com/a/b.git\",\"defaultNodeSize\":\"huge\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("field").asText()).isEqualTo("defaultNodeSize");
        assertThat(refused.body().path("message").asText()).contains("large", "medium", "small", "'huge'");

        ChatApi.Answer created = api.sendRaw("POST", "/api/projects",
            "{\"name\":\"sized\",\"repositoryUrl\":\"https://example.com/a/b.git\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("defaultNodeSize").asText()).isEqualTo(NodeSize.DEFAULT.wireName());
        assertThat(created.body().path("permissionPolicy").asText()).isEqualTo(PermissionPolicy.DEFAULT.wireName());
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(entry -> names.add(entry.path("name").asText()));
        return names;
    }
}
