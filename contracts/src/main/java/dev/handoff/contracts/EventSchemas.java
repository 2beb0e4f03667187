package dev.handoff.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The JSON Schemas published with the contracts ({@code /schemas/<Type>.v<version>.json}), used to check every
 * payload a consumer reads: a payload its schema refuses is not processed, it goes to the dead-letter topic.
 */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> LOADED = new ConcurrentHashMap<>();

    private EventSchemas() {
    }

    /** The schema file name of a type's payload at a version. */
    public static String fileName(String type, int version) {
        return type + ".v" + version + ".json";
    }

    /** @throws InvalidEventException naming every violation when the payload does not match its schema */
    public static void validatePayload(String type, int version, JsonNode payload) {
        Set<ValidationMessage> violations = schema(fileName(type, version)).validate(payload);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(type + " v" + version + " payload refused by its schema: "
                + violations.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
        }
    }

    private static JsonSchema schema(String file) {
        return LOADED.computeIfAbsent(file, name -> {
            try (InputStream in = EventSchemas.class.getResourceAsStream("/schemas/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("no schema " + name + " in the contracts");
                }
                return FACTORY.getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
