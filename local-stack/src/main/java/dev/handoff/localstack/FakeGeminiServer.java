package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A fake Gemini API (Generative Language API, {@code v1beta}) on 127.0.0.1, as Gemini CLI calls it with
 * {@code GOOGLE_GEMINI_BASE_URL} set to {@link #url()} and an API key.
 *
 * <ul>
 *   <li>{@code POST /v1beta/models/<model>:streamGenerateContent?alt=sse}: data-only server-sent events, one
 *       GenerateContentResponse with the reply text, finishReason STOP and usageMetadata.</li>
 *   <li>{@code POST /v1beta/models/<model>:generateContent}: the same response as one JSON object.</li>
 *   <li>A request whose {@code generationConfig.responseMimeType} is {@code application/json} (Gemini CLI's model
 *       router and other side requests) gets JSON following {@code responseJsonSchema} / {@code responseSchema}.</li>
 *   <li>{@code :countTokens}: {@code {"totalTokens": n}}; {@code GET /v1beta/models}: one model; else {@code {}}.</li>
 * </ul>
 * The reply is {@link #replyTo(String)} of the last user part's text. Seen with gemini-cli 0.61.0: the key arrives
 * as {@code x-goog-api-key}; the prompt is the last text part of the last user content (an earlier part holds the
 * session context).
 */
public final class FakeGeminiServer extends FakeModelServer {

    private FakeGeminiServer(int port) {
        super(port, "fake-gemini");
    }

    /** Starts on the given port (0: a random free port). */
    public static FakeGeminiServer start(int port) {
        return new FakeGeminiServer(port);
    }

    /** Only the generateContent and streamGenerateContent requests. */
    public List<RecordedRequest> generateRequests() {
        return requests().stream().filter(r -> r.path().endsWith(":generateContent")
            || r.path().endsWith(":streamGenerateContent")).toList();
    }

    /** The text of the last part of the last user content of a GenerateContent request. */
    public static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode content : body == null ? JSON.createArrayNode() : body.path("contents")) {
            if (!"user".equals(content.path("role").asText("user"))) {
                continue;
            }
            for (JsonNode part : content.path("parts")) {
                if (part.path("text").isTextual()) {
                    text = part.path("text").asText();
                }
            }
        }
        return text;
    }

    @Override
    protected void handle(HttpExchange exchange, String method, String path, JsonNode body) throws IOException {
        if (path.endsWith(":streamGenerateContent")) {
            OutputStream out = startEventStream(exchange);
            event(out, null, response(body, path));
            out.close();
        } else if (path.endsWith(":generateContent")) {
            sendJson(exchange, 200, response(body, path));
        } else if (path.endsWith(":countTokens")) {
            sendJson(exchange, 200, JSON.createObjectNode().put("totalTokens",
                estimateTokens(body == null ? "" : body.toString())));
        } else if (path.endsWith("/models")) {
            ObjectNode list = JSON.createObjectNode();
            list.putArray("models").addObject().put("name", "models/gemini-2.5-flash")
                .put("displayName", "Handoff fake model").putArray("supportedGenerationMethods")
                .add("generateContent").add("streamGenerateContent").add("countTokens");
            sendJson(exchange, 200, list);
        } else {
            sendJson(exchange, 200, JSON.createObjectNode());
        }
    }

    private static ObjectNode response(JsonNode body, String path) {
        String prompt = lastUserText(body);
        JsonNode config = body == null ? JSON.createObjectNode() : body.path("generationConfig");
        String text = replyTo(prompt);
        if ("application/json".equals(config.path("responseMimeType").asText())) {
            JsonNode schema = config.has("responseJsonSchema") ? config.get("responseJsonSchema")
                : config.path("responseSchema");
            text = conforming(schema, text).toString();
        }
        String model = path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf(':'));
        ObjectNode response = JSON.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content").put("role", "model");
        content.putArray("parts").addObject().put("text", text);
        candidate.put("finishReason", "STOP").put("index", 0);
        int promptTokens = estimateTokens(body == null ? "" : body.toString());
        int outputTokens = estimateTokens(text);
        response.putObject("usageMetadata").put("promptTokenCount", promptTokens)
            .put("candidatesTokenCount", outputTokens).put("totalTokenCount", promptTokens + outputTokens);
        response.put("modelVersion", model).put("responseId", "fake-" + Integer.toHexString(text.hashCode()));
        return response;
    }
}
