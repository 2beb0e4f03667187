package dev.handoff.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.handoff.contracts.events.AgentFailed;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentPromptDelivered;
import dev.handoff.contracts.events.AgentPromptRequested;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentStarted;
import dev.handoff.contracts.events.AgentStopRequested;
import dev.handoff.contracts.events.AgentStopped;
import dev.handoff.contracts.events.BranchPublished;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.contracts.events.EventPayload;
import dev.handoff.contracts.events.FollowUpSubmitted;
import dev.handoff.contracts.events.NodeConnected;
import dev.handoff.contracts.events.NodeDeleted;
import dev.handoff.contracts.events.NodeLost;
import dev.handoff.contracts.events.NodeHeartbeat;
import dev.handoff.contracts.events.NodeDisconnected;
import dev.handoff.contracts.events.NodeFailed;
import dev.handoff.contracts.events.NodeReady;
import dev.handoff.contracts.events.NodeRegistered;
import dev.handoff.contracts.events.NodeRequested;
import dev.handoff.contracts.events.PermissionAnswerRequested;
import dev.handoff.contracts.events.PermissionAnswered;
import dev.handoff.contracts.events.PermissionRequested;
import dev.handoff.contracts.events.TaskCancelRequested;
import dev.handoff.contracts.events.TaskCompleted;
import dev.handoff.contracts.events.TaskCreated;
import dev.handoff.contracts.events.TaskFailed;
import dev.handoff.contracts.events.TaskStatusChanged;
import dev.handoff.contracts.events.WorkspaceFailed;
import dev.handoff.contracts.events.WorkspaceReady;
import dev.handoff.contracts.events.WorkspaceRequested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventContractTest {

    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    /** One realistic sample of every type; the test below fails when a type has none. */
    private static final Map<EventType, EventPayload> SAMPLES = Stream.<EventPayload>of(
        new TaskCreated("p1", "s1", "https://github.com/acme/app.git", "main", "claude-code",
            "Fix the login timeout bug in auth.ts", "u1", "ask", "medium"),
        new TaskStatusChanged("turn_ended", "running", "AgentTurnEnded", null, "end_turn"),
        new TaskCompleted("pull request opened"),
        new TaskFailed("node", "the node did not connect within 10 minutes"),
        new NodeRequested("claude-code", "small", "user-1"),
        new NodeRegistered("hetzner", "a".repeat(64), Instant.parse("2026-11-24T10:00:00Z"), true),
        new NodeConnected("laptop", "0.1.0"),
        new NodeDisconnected("connection closed"),
        new NodeReady("local", false),
        new NodeFailed("quota exceeded", false, "quota"),
        new WorkspaceRequested("w1", "https://github.com/acme/app.git", "main"),
        new WorkspaceReady("w1", "/var/lib/handoff/workspaces/w1", "directory",
            "plain directory: .devcontainer/devcontainer.json found, but no Docker engine reachable on this node"),
        new WorkspaceFailed("w1", "git clone failed: repository not found", false, "not_found"),
        new AgentStartRequested("w1", "d1", "claude-code", "Fix the login timeout bug in auth.ts"),
        new AgentStarted("d1", "sess-1", "claude-code"),
        new AgentFailed("d1", "installing agent package x failed: npm error code ECONNRESET", true, "network"),
        new AgentOutput("sess-1", 1, "agent_message_chunk", Json.MAPPER.createObjectNode()
            .put("sessionUpdate", "agent_message_chunk")
            .set("content", Json.MAPPER.createObjectNode().put("type", "text").put("text", "Hello"))),
        new AgentTurnEnded("sess-1", "end_turn", 7),
        new TaskCancelRequested("the user cancelled the task"),
        new AgentStopRequested("d1", "w1", "the user cancelled the task", true),
        new AgentStopped("d1", "cancelled", true),
        new BranchPublished("w1", "handoff/fix-login-timeout-1a2b3c4d", "0123456789abcdef0123456789abcdef01234567",
            "pushed", null, "https://github.com/acme/app/pull/7"),
        new FollowUpSubmitted("s1", 5, "Now add a test for it"),
        new AgentPromptRequested("w1", "d1", "p1", "claude-code", "Now add a test for it", "sess-1", 7, null),
        new AgentPromptDelivered("d1", "p1", "sess-1", "continued"),
        new PermissionRequested("d1", "sess-1", "r1", Json.MAPPER.createObjectNode().put("toolCallId", "t1")
            .put("title", "Write hello.txt"), Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
            .put("optionId", "allow").put("name", "Allow").put("kind", "allow_once"))),
        new PermissionAnswered("r1", "allow"),
        new PermissionAnswerRequested("d1", "r1", "allow"),
        new NodeHeartbeat(0.42, 2, 4_000_000_000L, 2_500_000_000L, 30_000_000_000L),
        new NodeDeleted("local", "warm for 30 minutes without a task"),
        new NodeLost("the node was deleted by its owner")
    ).collect(Collectors.toMap(EventType::of, Function.identity()));

    @Test
    void everyTypeHasASampleAndAUniqueName() {
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrder(EventType.values());
        Set<String> names = Arrays.stream(EventType.values()).map(EventType::logicalName).collect(Collectors.toSet());
        assertThat(names).hasSize(EventType.values().length);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void serialisesValidatesAndReadsBackEqual(EventType type) throws Exception {
        Envelope first = Envelope.first(new NodeRequested("claude-code", null), "task-1");
        Envelope envelope = first.next(SAMPLES.get(type), "node-1");

        String json = EventCodec.encode(envelope);
        JsonNode tree = Json.MAPPER.readTree(json);

        assertValid("envelope.v1.json", tree);
        assertValid(type.logicalName() + ".v" + type.schemaVersion() + ".json", tree.get("payload"));
        assertThat(tree.get("type").asText()).isEqualTo(type.logicalName());
        assertThat(json).doesNotContain("dev.handoff");

        Envelope back = EventCodec.decode(json, envelope.traceparent());
        assertThat(back).isEqualTo(envelope);
        assertThat(back.causationId()).isEqualTo(first.eventId());
        assertThat(back.kafkaKey()).isEqualTo("task-1");
        assertThat(back.topic()).isEqualTo(type.topic());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void refusesAPayloadMissingAFieldItsSchemaRequires(EventType type) throws Exception {
        String json = EventCodec.encode(Envelope.first(SAMPLES.get(type), "task-1"));
        JsonNode schema;
        try (InputStream in = EventContractTest.class.getResourceAsStream(
            "/schemas/" + EventSchemas.fileName(type.logicalName(), type.schemaVersion()))) {
            schema = Json.MAPPER.readTree(in);
        }
        for (JsonNode required : schema.path("required")) {
            com.fasterxml.jackson.databind.node.ObjectNode envelope =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(json);
            ((com.fasterxml.jackson.databind.node.ObjectNode) envelope.get("payload")).remove(required.asText());
            assertThatThrownBy(() -> EventCodec.decode(Json.MAPPER.writeValueAsString(envelope), null))
                .as(type + " without " + required.asText())
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(required.asText());
        }
    }

    @Test
    void readsAWorkspaceReadyWithoutTheOptionalRuntime() {
        String json = EventCodec.encode(Envelope.first(new WorkspaceReady("w1", "/w/w1"), "t1"));
        WorkspaceReady ready = EventCodec.decode(json, null).payload(WorkspaceReady.class);
        assertThat(ready.path()).isEqualTo("/w/w1");
        assertThat(ready.runtime()).isNull();
    }

    @Test
    void readsAnEventWrittenBeforeAnOptionalFieldExisted() {
        String json = EventCodec.encode(Envelope.first(new AgentStartRequested("w1", "d1", "claude-code", "Fix it"),
            "t1")).replace(",\"permissionPolicy\":null", "");
        assertThat(json).doesNotContain("permissionPolicy");
        assertThat(EventCodec.decode(json, null).payload(AgentStartRequested.class).permissionPolicy()).isNull();
    }

    @Test
    void readsAFailureWrittenBeforeRetryableExistedAsNotClassified() {
        String json = EventCodec.encode(Envelope.first(new WorkspaceFailed("w1", "clone failed"), "t1"))
            .replace(",\"retryable\":null", "").replace(",\"failureKind\":null", "");
        assertThat(json).doesNotContain("retryable");
        WorkspaceFailed failed = EventCodec.decode(json, null).payload(WorkspaceFailed.class);
        assertThat(failed.retryable()).isNull();
        assertThat(failed.reason()).isEqualTo("clone failed");
    }

    @Test
    void anAgentOutputOfJoinedChunksSaysWhichUpdatesItHoldsAndOneWrittenBeforeThatHoldsOne() {
        var update = Json.MAPPER.createObjectNode().put("sessionUpdate", "agent_message_chunk");
        String joined = EventCodec.encode(Envelope.first(new AgentOutput("s1", 9, "agent_message_chunk", update, 3L),
            "t1"));
        AgentOutput read = EventCodec.decode(joined, null).payload(AgentOutput.class);
        assertThat(read.fromSequence()).isEqualTo(3);
        assertThat(read.sequence()).isEqualTo(9);

        String before = EventCodec.encode(Envelope.first(new AgentOutput("s1", 4, "agent_message_chunk", update), "t1"));
        assertThat(before).doesNotContain("firstSequence");
        assertThat(EventCodec.decode(before, null).payload(AgentOutput.class).fromSequence()).isEqualTo(4);
    }

    @Test
    void readsPayloadsWithFieldsItDoesNotKnow() {
        String json = EventCodec.encode(Envelope.first(new TaskFailed("node", "no node"), "t1"))
            .replace("\"reason\":", "\"addedLater\":\"x\",\"reason\":");
        assertThat(EventCodec.decode(json, null).payload(TaskFailed.class).reason()).isEqualTo("no node");
    }

    @Test
    void readsATaskCreatedFromBeforeOwnersWithoutAnOwner() {
        String json = EventCodec.encode(Envelope.first(new TaskCreated("p1", "s1", "https://h/a.git", "main",
            "claude-code", "Fix it"), "t1")).replace(",\"ownerId\":null", "");
        assertThat(json).doesNotContain("ownerId");
        assertThat(EventCodec.decode(json, null).payload(TaskCreated.class).ownerId()).isNull();
    }

    @Test
    void refusesWhatIsNotAnEvent() {
        String good = EventCodec.encode(Envelope.first(new TaskFailed("node", "no node"), "t1"));
        assertThatThrownBy(() -> EventCodec.decode("{not json", null)).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EventCodec.decode(good.replace("TaskFailed", "TaskExploded"), null))
            .isInstanceOf(InvalidEventException.class).hasMessageContaining("unknown event type");
        assertThatThrownBy(() -> EventCodec.decode(good.replace("\"schemaVersion\":1", "\"schemaVersion\":9"), null))
            .isInstanceOf(InvalidEventException.class).hasMessageContaining("schemaVersion");
        assertThatThrownBy(() -> EventCodec.decode(good.replace("\"taskId\":\"t1\"", "\"taskId\":null"), null))
            .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void nextKeepsTaskAndTraceAndRecordsCause() {
        Envelope created = Envelope.first(SAMPLES.get(EventType.TASK_CREATED), "task-9");
        Envelope requested = created.next(SAMPLES.get(EventType.NODE_REQUESTED));
        assertThat(requested.taskId()).isEqualTo("task-9");
        assertThat(requested.causationId()).isEqualTo(created.eventId());
        assertThat(requested.traceparent()).isEqualTo(created.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    private static void assertValid(String schemaFile, JsonNode json) throws Exception {
        try (InputStream in = EventContractTest.class.getResourceAsStream("/schemas/" + schemaFile)) {
            assertThat(in).as("schema " + schemaFile).isNotNull();
            JsonSchema schema = SCHEMAS.getSchema(in);
            Set<ValidationMessage> errors = schema.validate(json);
            assertThat(errors).as(schemaFile + " errors for " + json).isEmpty();
        }
    }
}
