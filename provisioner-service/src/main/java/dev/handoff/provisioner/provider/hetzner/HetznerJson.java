package dev.handoff.provisioner.provider.hetzner;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads Hetzner's JSON objects into Handoff's records (only the fields Handoff uses). */
final class HetznerJson {

    private HetznerJson() {
    }

    static HetznerServer server(JsonNode server) {
        Map<String, String> labels = new LinkedHashMap<>();
        server.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new HetznerServer(
            server.path("id").asLong(),
            server.path("name").asText(),
            server.path("status").asText(),
            text(server.path("public_net").path("ipv4").path("ip")),
            text(server.path("datacenter").path("location").path("name")),
            Map.copyOf(labels));
    }

    static HetznerAction action(JsonNode action) {
        JsonNode error = action.path("error");
        return new HetznerAction(
            action.path("id").asLong(),
            action.path("command").asText(),
            action.path("status").asText(),
            text(error.path("code")),
            text(error.path("message")));
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }
}
