package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeAnthropicServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeAnthropicServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    record Event(String name, JsonNode data) {}

    @Test
    void streamsWellFormedSseInOrderAndRecordsTheRequest() throws Exception {
        server = FakeAnthropicServer.start(new ScriptedReplies());
        String body = """
                {"model":"claude-test","max_tokens":100,"stream":true,
                 "system":[{"type":"text","text":"You are a test."}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"<system-reminder>x</system-reminder>"},
                                                       {"type":"text","text":"Explain the build, please"}]}]}""";
        HttpResponse<String> response = post("/v1/messages?beta=true", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<Event> events = parseSse(response.body());
        assertThat(events).extracting(Event::name).containsSubsequence(
                "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(0).name()).isEqualTo("message_start");
        assertThat(events.get(events.size() - 1).name()).isEqualTo("message_stop");
        events.forEach(e -> assertThat(e.data().path("type").asText()).isEqualTo(e.name()));

        JsonNode message = events.get(0).data().path("message");
        assertThat(message.path("id").asText()).startsWith("msg_");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("model").asText()).isEqualTo("claude-test");
        assertThat(message.path("content").isArray()).isTrue();
        assertThat(message.path("usage").path("input_tokens").isInt()).isTrue();

        JsonNode blockStart = events.stream().filter(e -> e.name().equals("content_block_start")).findFirst().orElseThrow().data();
        assertThat(blockStart.path("index").asInt()).isZero();
        assertThat(blockStart.path("content_block").path("type").asText()).isEqualTo("text");
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.name().equals("content_block_delta")).forEach(e -> {
            assertThat(e.data().path("delta").path("type").asText()).isEqualTo("text_delta");
            text.append(e.data().path("delta").path("text").asText());
        });
        assertThat(text.toString()).isEqualTo("HANDOFF-FAKE-REPLY: Explain the build, please");
        JsonNode messageDelta = events.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow().data();
        assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isPositive();

        assertThat(server.requests()).hasSize(1);
        RecordedRequest recorded = server.requests().get(0);
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/v1/messages");
        assertThat(recorded.query()).isEqualTo("beta=true");
        assertThat(recorded.headers()).containsKey("anthropic-version").doesNotContainKey("x-api-key");
        assertThat(recorded.body().path("model").asText()).isEqualTo("claude-test");
        assertThat(server.anyUserMessageContains("Explain the build")).isTrue();
        assertThat(server.anyUserMessageContains("something else")).isFalse();
    }

    @Test
    void nonStreamingCountTokensAndOtherPathsAreAnswered() throws Exception {
        server = FakeAnthropicServer.start(new DemoReplies());
        HttpResponse<String> response = post("/v1/messages",
                "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = JSON.readTree(response.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.path("content").get(0).path("text").asText())
                .isEqualTo("This is Handoff's built-in demo model, not a real AI. You asked: What is 2+2?. Set ANTHROPIC_API_KEY to use Claude.");

        assertThat(JSON.readTree(post("/v1/messages/count_tokens", "{\"messages\":[]}").body()).path("input_tokens").asInt()).isPositive();
        assertThat(post("/v1/something/else", "{}").statusCode()).isEqualTo(200);
        assertThat(server.requests()).extracting(RecordedRequest::path)
                .containsExactly("/v1/messages", "/v1/messages/count_tokens", "/v1/something/else");
    }

    @Test
    void structuredOutputRequestsGetJsonFollowingTheSchema() throws Exception {
        server = FakeAnthropicServer.start(new ScriptedReplies());
        String body = """
                {"model":"m","max_tokens":10,"stream":true,
                 "output_config":{"format":{"type":"json_schema","schema":{"type":"object","properties":{"title":{"type":"string"}},"required":["title"]}}},
                 "messages":[{"role":"user","content":[{"type":"text","text":"<session>\\nFix the login page of the app\\n</session>\\n\\nWrite the title"}]}]}""";
        StringBuilder text = new StringBuilder();
        parseSse(post("/v1/messages", body).body()).stream().filter(e -> e.name().equals("content_block_delta"))
                .forEach(e -> text.append(e.data().path("delta").path("text").asText()));
        assertThat(JSON.readTree(text.toString()).path("title").asText()).isEqualTo("Fix the login page of");
    }

    @Test
    void scriptedWriteFileMarkerAsksForTheWriteToolThenReportsIt() throws Exception {
        // the shape claude-agent-acp 0.101.0 sends: the cwd in a "system" entry of messages
        String first = """
                {"model":"m","max_tokens":10,"stream":true,
                 "tools":[{"name":"Read","input_schema":{}},{"name":"Write","input_schema":{}}],
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"<system-reminder>r</system-reminder>"},{"type":"text","text":"Do it [[write-file notes.txt two words]]"}]},
                   {"role":"system","content":[{"type":"text","text":"# Environment\\n - Primary working directory: /work/space\\n - Platform: linux"}]}]}""";
        server = FakeAnthropicServer.start(new ScriptedReplies());
        List<Event> events = parseSse(post("/v1/messages", first).body());
        JsonNode start = events.stream().filter(e -> e.name().equals("content_block_start")).findFirst().orElseThrow().data();
        assertThat(start.path("content_block").path("type").asText()).isEqualTo("tool_use");
        assertThat(start.path("content_block").path("name").asText()).isEqualTo("Write");
        String toolUseId = start.path("content_block").path("id").asText();
        StringBuilder json = new StringBuilder();
        events.stream().filter(e -> e.name().equals("content_block_delta")).forEach(e -> {
            assertThat(e.data().path("delta").path("type").asText()).isEqualTo("input_json_delta");
            json.append(e.data().path("delta").path("partial_json").asText());
        });
        JsonNode input = JSON.readTree(json.toString());
        assertThat(input.path("file_path").asText()).isEqualTo("/work/space/notes.txt");
        assertThat(input.path("content").asText()).isEqualTo("two words");
        assertThat(events.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow()
                .data().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");

        String second = first.substring(0, first.lastIndexOf("]}")) + """
                ,{"role":"assistant","content":[{"type":"tool_use","id":"%s","name":"Write","input":%s}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"File created successfully at: /work/space/notes.txt"}]}]}"""
                .formatted(toolUseId, input, toolUseId);
        StringBuilder text = new StringBuilder();
        parseSse(post("/v1/messages", second).body()).stream().filter(e -> e.name().equals("content_block_delta"))
                .forEach(e -> text.append(e.data().path("delta").path("text").asText()));
        assertThat(text.toString()).isEqualTo("Wrote notes.txt. HANDOFF-FAKE-REPLY: Do it [[write-file notes.txt two words]]");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("content-type", "application/json")
                        .header("x-api-key", "secret")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static List<Event> parseSse(String body) throws Exception {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String name = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            assertThat(name).as("event line in %s", block).isNotNull();
            assertThat(data).as("data line in %s", block).isNotNull();
            events.add(new Event(name, JSON.readTree(data)));
        }
        return events;
    }
}
