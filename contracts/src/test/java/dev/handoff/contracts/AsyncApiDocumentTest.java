package dev.handoff.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AsyncAPI document ({@code /asyncapi.json}) is written by hand; this test keeps it in step with {@link EventType},
 * {@link Topics}, {@link KafkaHeaders} and the JSON Schemas: a type, topic or schema missing from it, or one it names
 * that does not exist, fails here.
 */
class AsyncApiDocumentTest {

    private static final JsonNode DOC = read("/asyncapi.json");
    private static final String DEAD_LETTER = "DeadLetter";

    @Test
    void isAnAsyncApi3Document() {
        assertThat(DOC.path("asyncapi").asText()).startsWith("3.");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void describesEveryTypeOnItsTopicWithItsSchema(EventType type) {
        JsonNode message = DOC.path("components").path("messages").path(type.logicalName());
        assertThat(message.isObject()).as("message %s", type.logicalName()).isTrue();
        assertThat(message.path("name").asText()).isEqualTo(type.logicalName());
        assertThat(message.path("x-handoff-schema-version").asInt()).isEqualTo(type.schemaVersion());

        JsonNode envelopePart = message.path("payload").path("allOf");
        assertThat(envelopePart.get(0).path("$ref").asText()).isEqualTo("./schemas/envelope.v1.json");
        JsonNode properties = envelopePart.get(1).path("properties");
        assertThat(properties.path("type").path("const").asText()).isEqualTo(type.logicalName());
        assertThat(properties.path("schemaVersion").path("const").asInt()).isEqualTo(type.schemaVersion());
        assertThat(properties.path("payload").path("$ref").asText())
            .isEqualTo("./schemas/" + EventSchemas.fileName(type.logicalName(), type.schemaVersion()));
        assertThat(message.path("headers").path("$ref").asText()).isEqualTo("#/components/schemas/EventHeaders");
        assertThat(message.path("bindings").path("kafka").path("key").path("$ref").asText())
            .isEqualTo("#/components/schemas/RecordKey");

        assertThat(channelsCarrying(type.logicalName())).as("topics carrying %s", type.logicalName())
            .containsExactly(type.topic());
    }

    @Test
    void hasOneChannelPerTopicAndNoOther() {
        Set<String> addresses = stream(DOC.path("channels")).map(c -> c.path("address").asText())
            .collect(Collectors.toSet());
        assertThat(addresses).containsExactlyInAnyOrder(Topics.ALL);
    }

    @Test
    void namesNoTypeThatDoesNotExist() {
        Set<String> known = Arrays.stream(EventType.values()).map(EventType::logicalName).collect(Collectors.toSet());
        known.add(DEAD_LETTER);
        Set<String> described = new HashSet<>();
        DOC.path("components").path("messages").fieldNames().forEachRemaining(described::add);
        DOC.path("channels").forEach(c -> c.path("messages").fieldNames().forEachRemaining(described::add));
        assertThat(known).containsAll(described);
        assertThat(channelsCarrying(DEAD_LETTER)).containsExactly(Topics.DEAD_LETTERS);
    }

    @Test
    void everyReferencedSchemaFileExistsAndEveryLocalReferenceResolves() {
        Set<String> refs = new HashSet<>();
        collectRefs(DOC, refs);
        for (String ref : refs) {
            if (ref.startsWith("#/")) {
                assertThat(DOC.at(ref.substring(1)).isMissingNode()).as("reference %s", ref).isFalse();
            } else {
                assertThat(AsyncApiDocumentTest.class.getResource("/" + ref.substring(2))).as("file %s", ref)
                    .isNotNull();
            }
        }
    }

    @Test
    void headersAreTheOnesThePublisherSets() {
        JsonNode headers = DOC.path("components").path("schemas").path("EventHeaders").path("properties");
        Set<String> names = new HashSet<>();
        headers.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder(KafkaHeaders.EVENT_TYPE, KafkaHeaders.TRACEPARENT);
    }

    private static Set<String> channelsCarrying(String messageName) {
        return stream(DOC.path("channels")).filter(c -> c.path("messages").has(messageName))
            .map(c -> c.path("address").asText()).collect(Collectors.toSet());
    }

    private static void collectRefs(JsonNode node, Set<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode node) {
        return StreamSupport.stream(node.spliterator(), false);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream(resource)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
