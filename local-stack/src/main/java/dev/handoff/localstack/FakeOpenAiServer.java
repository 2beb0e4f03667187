package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake OpenAI Responses API on 127.0.0.1, as the Codex ACP adapter ({@code @zed-industries/codex-acp}) calls it
 * with a model provider whose {@code base_url} is {@link #baseUrl()} and {@code wire_api = "responses"}.
 *
 * <ul>
 *   <li>{@code POST /v1/responses} with {@code "stream": true} (what Codex sends, {@code Accept:
 *       text/event-stream}): server-sent events response.created, response.output_item.added,
 *       response.content_part.added, response.output_text.delta, response.output_text.done,
 *       response.output_item.done, response.completed (with usage); without stream one response object.
 *       The reply is one assistant message, {@link #replyTo(String)} of the last user input text.</li>
 *   <li>{@code GET /v1/models}: one fake model; anything else: {@code 200 {}}.</li>
 * </ul>
 * Seen with codex-acp 0.16.0 (codex 0.137.0): one POST /v1/responses per turn, {@code Authorization: Bearer
 * $OPENAI_API_KEY}; the request's {@code input} holds developer instructions, an environment_context user message,
 * then the prompt as a user message with {@code input_text}.
 */
public final class FakeOpenAiServer extends FakeModelServer {

    private final AtomicInteger ids = new AtomicInteger();

    private FakeOpenAiServer(int port) {
        super(port, "fake-openai");
    }

    /** Starts on the given port (0: a random free port). */
    public static FakeOpenAiServer start(int port) {
        return new FakeOpenAiServer(port);
    }

    /** The provider's {@code base_url}: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return url() + "/v1";
    }

    /** Only the {@code POST /v1/responses} requests. */
    public List<RecordedRequest> responsesRequests() {
        return requests().stream().filter(r -> "POST".equals(r.method()) && r.path().endsWith("/responses")).toList();
    }

    /** The text of the last user message in a Responses request's {@code input}. */
    public static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode item : body == null ? JSON.createArrayNode() : body.path("input")) {
            if (!"user".equals(item.path("role").asText())) {
                continue;
            }
            if (item.path("content").isTextual()) {
                text = item.path("content").asText();
                continue;
            }
            StringBuilder parts = new StringBuilder();
            for (JsonNode part : item.path("content")) {
                parts.append(part.path("text").asText(""));
            }
            text = parts.toString();
        }
        return text;
    }

    @Override
    protected void handle(HttpExchange exchange, String method, String path, JsonNode body) throws IOException {
        if ("POST".equals(method) && path.endsWith("/responses")) {
            respond(exchange, body);
        } else if (path.endsWith("/models")) {
            ObjectNode list = JSON.createObjectNode().put("object", "list");
            list.putArray("data").addObject().put("id", "gpt-5-codex").put("object", "model")
                .put("created", 1735689600).put("owned_by", "handoff-fake");
            sendJson(exchange, 200, list);
        } else {
            sendJson(exchange, 200, JSON.createObjectNode());
        }
    }

    private void respond(HttpExchange exchange, JsonNode body) throws IOException {
        int n = ids.incrementAndGet();
        String responseId = String.format("resp_fake%08d", n);
        String messageId = String.format("msg_fake%08d", n);
        String model = body == null ? "gpt-5-codex" : body.path("model").asText("gpt-5-codex");
        String text = replyTo(lastUserText(body));
        ObjectNode message = JSON.createObjectNode().put("type", "message").put("id", messageId)
            .put("role", "assistant").put("status", "completed");
        message.putArray("content").addObject().put("type", "output_text").put("text", text).putArray("annotations");
        ObjectNode completed = response(responseId, model, "completed");
        completed.putArray("output").add(message);
        ObjectNode usage = completed.putObject("usage");
        usage.put("input_tokens", estimateTokens(body == null ? "" : body.toString()));
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", estimateTokens(text));
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", usage.path("input_tokens").asInt() + usage.path("output_tokens").asInt());

        if (body == null || !body.path("stream").asBoolean(false)) {
            sendJson(exchange, 200, completed);
            return;
        }
        OutputStream out = startEventStream(exchange);
        int sequence = 0;
        ObjectNode created = response(responseId, model, "in_progress");
        created.putArray("output");
        send(out, "response.created", sequence++, o -> o.set("response", created));
        ObjectNode inProgress = message.deepCopy().put("status", "in_progress");
        inProgress.putArray("content");
        send(out, "response.output_item.added", sequence++, o -> o.put("output_index", 0).set("item", inProgress));
        ObjectNode emptyPart = JSON.createObjectNode().put("type", "output_text").put("text", "");
        emptyPart.putArray("annotations");
        send(out, "response.content_part.added", sequence++, o -> o.put("item_id", messageId).put("output_index", 0)
            .put("content_index", 0).set("part", emptyPart));
        send(out, "response.output_text.delta", sequence++, o -> o.put("item_id", messageId).put("output_index", 0)
            .put("content_index", 0).put("delta", text));
        send(out, "response.output_text.done", sequence++, o -> o.put("item_id", messageId).put("output_index", 0)
            .put("content_index", 0).put("text", text));
        send(out, "response.output_item.done", sequence++, o -> o.put("output_index", 0).set("item", message));
        send(out, "response.completed", sequence, o -> o.set("response", completed));
        out.close();
    }

    private static ObjectNode response(String id, String model, String status) {
        return JSON.createObjectNode().put("id", id).put("object", "response").put("created_at", 1735689600)
            .put("status", status).put("model", model);
    }

    private static void send(OutputStream out, String type, int sequence, Consumer<ObjectNode> fill)
        throws IOException {
        ObjectNode data = JSON.createObjectNode().put("type", type).put("sequence_number", sequence);
        fill.accept(data);
        event(out, type, data);
    }
}
