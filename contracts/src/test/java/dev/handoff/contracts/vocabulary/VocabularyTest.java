package dev.handoff.contracts.vocabulary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventCodec;
import dev.handoff.contracts.InvalidEventException;
import dev.handoff.contracts.events.NodeRequested;
import dev.handoff.contracts.events.TaskStatusChanged;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vocabulary's wire names, and the JSON Schemas of the events agreeing with them. */
class VocabularyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Event fields that carry a vocabulary word, and the words they may carry. */
    private static final Map<String, Set<String>> FIELDS = Map.of(
        "status", wireNames(TaskStatus.values(), TaskStatus::wireName),
        "previousStatus", wireNames(TaskStatus.values(), TaskStatus::wireName),
        "nodeSize", NodeSize.wireNames(),
        "size", NodeSize.wireNames(),
        "permissionPolicy", PermissionPolicy.wireNames());

    @Test
    void wireNamesAreTheLowerCaseNamesAndReadBack() throws IOException {
        assertThat(TaskStatus.TURN_ENDED.wireName()).isEqualTo("turn_ended");
        assertThat(JSON.writeValueAsString(TaskStatus.WAITING_FOR_PERMISSION)).isEqualTo("\"waiting_for_permission\"");
        assertThat(JSON.readValue("\"creating_workspace\"", TaskStatus.class)).isEqualTo(TaskStatus.CREATING_WORKSPACE);
        for (TaskStatus status : TaskStatus.values()) {
            assertThat(TaskStatus.ofWireName(status.wireName())).isEqualTo(status);
        }
        assertThat(TaskStatus.byWireName("TURN_ENDED")).isEmpty();
        assertThatThrownBy(() -> TaskStatus.ofWireName("done")).hasMessageContaining("'done'");
        assertThat(NodeSize.orDefault(null)).isEqualTo(NodeSize.SMALL);
        assertThat(PermissionPolicy.orDefault(null)).isEqualTo(PermissionPolicy.ALLOW);
        assertThatThrownBy(() -> NodeSize.ofWireName("huge")).hasMessageContaining("small, medium or large");
    }

    @Test
    void theFirstTurnsStepsAreInOrderFromQueuedToTurnEnded() {
        List<TaskStatus> steps = Arrays.stream(TaskStatus.values()).filter(TaskStatus::isFirstTurnStep).toList();
        assertThat(steps).containsExactly(TaskStatus.QUEUED, TaskStatus.PROVISIONING_NODE,
            TaskStatus.CREATING_WORKSPACE, TaskStatus.STARTING_AGENT, TaskStatus.RUNNING, TaskStatus.TURN_ENDED);
    }

    @Test
    void whatEachStatusAllowsIsDecidedOnce() {
        assertThat(Arrays.stream(TaskStatus.values()).filter(TaskStatus::isTerminal))
            .containsExactlyInAnyOrder(TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.COMPLETED);
        assertThat(TaskStatus.CANCELLING.isEndedOrEnding()).isTrue();
        assertThat(TaskStatus.CANCELLING.isCancellable()).isFalse();
        assertThat(TaskStatus.TURN_ENDED.isCancellable()).isTrue();
        assertThat(TaskStatus.TURN_ENDED.isInFlight()).isFalse();
        assertThat(NodeSize.LARGE.fits(NodeSize.MEDIUM)).isTrue();
        assertThat(NodeSize.SMALL.fits(NodeSize.MEDIUM)).isFalse();
    }

    @Test
    void anEventNamingAWordNoVersionKnowsIsRefusedAtDecoding() {
        String status = EventCodec.encode(Envelope.first(
            new TaskStatusChanged("running", "queued", "AgentStarted", null, null), "task-1"));
        assertThat(EventCodec.decode(status, null).payload(TaskStatusChanged.class).status()).isEqualTo("running");
        assertThatThrownBy(() -> EventCodec.decode(status.replace("\"running\"", "\"done\""), null))
            .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EventCodec.decode(status.replace("\"running\"", "\"" + "x".repeat(100_000) + "\""),
            null)).isInstanceOf(InvalidEventException.class);
        String size = EventCodec.encode(Envelope.first(new NodeRequested("claude-code", "large", "owner-1"), "task-1"));
        assertThat(EventCodec.decode(size, null).payload(NodeRequested.class).size()).isEqualTo("large");
        assertThatThrownBy(() -> EventCodec.decode(size.replace("\"large\"", "\"huge\""), null))
            .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void everyEventSchemaFieldOfTheVocabularyAllowsExactlyItsWords() throws IOException, URISyntaxException {
        Path schemas = Path.of(getClass().getResource("/schemas").toURI());
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(schemas)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode properties;
                try (InputStream in = Files.newInputStream(file)) {
                    properties = JSON.readTree(in).path("properties");
                }
                for (Map.Entry<String, Set<String>> field : FIELDS.entrySet()) {
                    JsonNode property = properties.path(field.getKey());
                    if (property.isMissingNode()) {
                        continue;
                    }
                    Set<String> allowed = new LinkedHashSet<>();
                    property.path("enum").forEach(word -> {
                        if (!word.isNull()) {
                            allowed.add(word.asText());
                        }
                    });
                    assertThat(allowed).as(file.getFileName() + " " + field.getKey())
                        .containsExactlyInAnyOrderElementsOf(field.getValue());
                    checked.add(file.getFileName() + "#" + field.getKey());
                }
            }
        }
        assertThat(checked).contains("TaskStatusChanged.v1.json#status", "TaskCreated.v1.json#nodeSize",
            "NodeRequested.v1.json#size", "TaskCreated.v1.json#permissionPolicy");
    }

    private static <E> Set<String> wireNames(E[] values, java.util.function.Function<E, String> name) {
        return Arrays.stream(values).map(name).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
