package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request the {@link FakeAnthropicServer} received. Headers are lower-cased and exclude
 * credentials ({@code x-api-key}, {@code authorization}); {@code body} is null when the body was
 * empty or not JSON ({@code rawBody} always holds the text).
 */
public record RecordedRequest(
        Instant receivedAt,
        String method,
        String path,
        String query,
        Map<String, List<String>> headers,
        String rawBody,
        JsonNode body) {

    public boolean isMessages() {
        return "POST".equals(method) && "/v1/messages".equals(path);
    }

    /** The request as a Messages API request (only meaningful when {@link #isMessages()}). */
    public MessagesRequest messages() {
        return new MessagesRequest(body);
    }
}
