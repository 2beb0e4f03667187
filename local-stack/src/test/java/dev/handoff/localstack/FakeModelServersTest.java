package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The fakes' answers beyond what the real agents exercised in their tests. */
class FakeModelServersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void geminiAnswersAStructuredOutputRequestWithJsonFollowingTheSchema() throws Exception {
        try (FakeGeminiServer gemini = FakeGeminiServer.start(0)) {
            JsonNode answer = JSON.readTree(post(gemini.url() + "/v1beta/models/gemini-3.5-flash-lite:generateContent",
                """
                {"contents":[{"role":"user","parts":[{"text":"context"},{"text":"rate me"}]}],
                 "generationConfig":{"responseMimeType":"application/json","responseJsonSchema":{"type":"OBJECT",
                   "properties":{"complexity_reasoning":{"type":"STRING"},"complexity_score":{"type":"INTEGER"}}}}}
                """, "x-goog-api-key", "secret"));

            JsonNode text = JSON.readTree(answer.at("/candidates/0/content/parts/0/text").asText());
            assertThat(text.path("complexity_score").isInt()).isTrue();
            assertThat(text.path("complexity_reasoning").asText()).isEqualTo(FakeModelServer.replyTo("rate me"));
            assertThat(answer.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
            assertThat(gemini.requests().get(0).headers().get("x-goog-api-key")).containsExactly("<redacted>");
        }
    }

    @Test
    void openAiAnswersANonStreamedResponsesRequestWithOneResponseObject() throws Exception {
        try (FakeOpenAiServer openAi = FakeOpenAiServer.start(0)) {
            JsonNode answer = JSON.readTree(post(openAi.baseUrl() + "/responses", """
                {"model":"gpt-5-codex","stream":false,"input":[{"role":"user","content":[{"type":"input_text","text":"hi there"}]}]}
                """, "authorization", "Bearer secret"));

            assertThat(answer.path("status").asText()).isEqualTo("completed");
            assertThat(answer.at("/output/0/content/0/text").asText()).isEqualTo(FakeModelServer.replyTo("hi there"));
            assertThat(openAi.anyRequestContains("hi there")).isTrue();
            assertThat(openAi.requests().get(0).rawBody()).doesNotContain("secret");
            assertThat(openAi.requests().get(0).headers().get("authorization")).containsExactly("<redacted>");
        }
    }

    private String post(String url, String body, String header, String value) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json").header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
