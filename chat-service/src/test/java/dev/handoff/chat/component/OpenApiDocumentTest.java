package dev.handoff.chat.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * chat-service's OpenAPI document at {@code /q/openapi}: every public JAX-RS endpoint is in it with the error shape and
 * the auth schemes, no {@code /internal} one is, and docs/api.md names the same endpoints.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.ShortRetention.class)
class OpenApiDocumentTest {

    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(GET|POST|PUT|DELETE|PATCH) (/[^` ?]*)");

    @TestHTTPResource("/q/openapi")
    URL openapi;

    @Test
    void everyPublicEndpointIsDescribedWithTheErrorShapeAndNoInternalOne() throws Exception {
        JsonNode spec = spec();
        Set<String> described = operations(spec);

        // Every JAX-RS method in chat-service's sources (the scan AccessControlTest holds its matrix to), path
        // parameters as {}: a new resource is checked without being listed here.
        Set<String> describedShapes = new TreeSet<>();
        described.forEach(op -> describedShapes.add(op.replaceAll("\\{[^}]+}", "{}")));
        List<String> declared = AccessControlTest.declaredEndpoints(java.nio.file.Path.of("src/main/java")).stream()
            .filter(endpoint -> !endpoint.contains(" /internal/")).toList();
        assertThat(declared).isNotEmpty();
        assertThat(describedShapes).containsAll(declared);
        assertThat(described).noneMatch(op -> op.contains(" /internal/"));
        spec.path("paths").forEach(item -> item.forEach(operation -> {
            assertThat(operation.path("responses").path("4XX").path("content").path("application/json")
                .path("schema").path("$ref").asText()).isEqualTo("#/components/schemas/ApiError");
        }));
        JsonNode error = spec.path("components").path("schemas").path("ApiError").path("properties");
        assertThat(error.has("status") && error.has("field") && error.has("message")).isTrue();
        assertThat(spec.path("components").path("securitySchemes").path("apiToken").path("scheme").asText())
            .isEqualTo("bearer");
        assertThat(spec.path("components").path("securitySchemes").path("clientHeader").path("name").asText())
            .isEqualTo("X-Handoff-Client");
        assertThat(spec.path("components").path("securitySchemes").path("sessionCookie").path("in").asText())
            .isEqualTo("cookie");
    }

    @Test
    void docsApiMdAndTheDocumentNameTheSameEndpoints() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(java.nio.file.Path.of("..", "docs", "api.md"))) {
            Matcher m = DOCUMENTED.matcher(line);
            if (m.find() && !line.contains("*(planned)*")) {
                documented.add(m.group(1) + " " + m.group(2));
            }
        }

        Set<String> described = new TreeSet<>(operations(spec()));
        assertThat(described).as("in docs/api.md, not in the document").containsAll(documented);
        assertThat(documented).as("in the document, not in docs/api.md").containsAll(described);
    }

    private JsonNode spec() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(openapi + "?format=json")).header("Accept", "application/json").build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }

    private static Set<String> operations(JsonNode spec) {
        Set<String> ops = new HashSet<>();
        spec.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("get", "post", "put", "delete", "patch").contains(method)) {
                ops.add(method.toUpperCase() + " " + path.getKey());
            }
        }));
        return ops;
    }
}
