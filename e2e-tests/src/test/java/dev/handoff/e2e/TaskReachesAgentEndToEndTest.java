package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.Topics;
import dev.handoff.contracts.events.AgentOutput;
import dev.handoff.contracts.events.AgentStartRequested;
import dev.handoff.contracts.events.AgentTurnEnded;
import dev.handoff.contracts.events.TaskCreated;
import dev.handoff.e2e.KafkaTopics.Recorded;
import dev.handoff.localstack.FakeAnthropicServer;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The capability Handoff exists for: a task typed through the public API reaches a real coding agent as its
 * first prompt, and the agent's answer comes back to the chat. Everything is real and separate: Kafka, PostgreSQL,
 * the four services from their packaged jars, a vm-agent process started by the provisioner, the Claude Code ACP
 * adapter from npm. Only the model API is fake, speaking Anthropic's streaming wire format.
 */
@ExtendWith(SharedStack.class)
class TaskReachesAgentEndToEndTest {

    private final HandoffStack stack = SharedStack.get().stack();
    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();



    @Test
    void taskTextReachesTheAgentAndItsAnswerReachesTheChat() throws Exception {
        String taskText = "Fix the login timeout bug in auth.ts " + UUID.randomUUID()
            + " and note it: [[write-file handoff-note.txt The timeout is fixed.]]";
        String projectId = api.createProject("app", repositoryUrl);

        JsonNode accepted = api.submitTask(projectId, taskText);
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        assertThat(accepted.path("status").asText()).isEqualTo("queued");

        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
                String status = api.task(taskId).path("status").asText();
                assertThat(status).as(() -> "task failed: " + api.task(taskId)).isNotEqualTo("failed");
                return status.equals("turn_ended");
            });

        // The task status API: the turn ended with end_turn, and every step is in the timeline, in order.
        JsonNode task = api.task(taskId);
        assertThat(task.path("stopReason").asText()).isEqualTo("end_turn");
        List<String> steps = task.path("timeline").findValuesAsText("status");
        assertThat(steps).containsExactly("queued", "provisioning_node", "creating_workspace", "starting_agent",
            "running", "turn_ended");

        // The model received the task text exactly, inside a user message: the prompt reached the agent.
        FakeAnthropicServer model = stack.model().orElseThrow();
        assertThat(model.anyUserMessageContains(taskText)).as("the model saw the exact task text").isTrue();

        // Kafka holds the causal chain for this task, every record keyed by the task id.
        List<Recorded> records = KafkaTopics.readAll(stack.kafka().bootstrapServers(), Topics.TASK_EVENTS,
            Topics.PROVISIONER_COMMANDS, Topics.PROVISIONER_EVENTS, Topics.NODE_COMMANDS, Topics.NODE_REPORTS)
            .stream().filter(r -> taskId.equals(r.event().taskId())).toList();
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(taskId));
        Envelope created = only(records, "TaskCreated");
        assertThat(created.payload(TaskCreated.class).ownerId()).as("the owner, for nodes per user")
            .isEqualTo(api.get("/api/me").body().path("id").asText());
        Envelope nodeRequested = causedBy(records, "NodeRequested", created);
        Envelope nodeReady = causedBy(records, "NodeReady", nodeRequested);
        Envelope workspaceRequested = causedBy(records, "WorkspaceRequested", nodeReady);
        Envelope workspaceReady = causedBy(records, "WorkspaceReady", workspaceRequested);
        Envelope agentStartRequested = causedBy(records, "AgentStartRequested", workspaceReady);
        Envelope agentStarted = causedBy(records, "AgentStarted", agentStartRequested);
        assertThat(List.of(created, nodeRequested, nodeReady, workspaceRequested, workspaceReady,
            agentStartRequested, agentStarted)).extracting(Envelope::occurredAt).isSorted();
        assertThat(agentStartRequested.payload(AgentStartRequested.class).prompt()).isEqualTo(taskText);

        // The agent's output: updates 1..n without gaps, all after AgentStarted; the turn's end after its content.
        List<AgentOutput> outputs = records.stream().filter(r -> r.event().type().equals("AgentOutput"))
            .map(r -> r.event().payload(AgentOutput.class)).toList();
        assertThat(outputs).isNotEmpty();
        TurnOutputs.assertEveryUpdateOnce(outputs);
        AgentTurnEnded ended = causedBy(records, "AgentTurnEnded", agentStartRequested).payload(AgentTurnEnded.class);
        assertThat(ended.stopReason()).isEqualTo("end_turn");
        TurnOutputs.assertTheTurnEndedAfterItsContent(outputs, ended.lastSequence());

        // The chat: the user's task first, then the model's reply text assembled into an assistant message,
        // and the Write tool call as a structured record.
        List<JsonNode> messages = api.messages(sessionId);
        assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(0).path("content").asText()).isEqualTo(taskText);
        String assistantText = messages.stream().filter(m -> m.path("role").asText().equals("assistant"))
            .map(m -> m.path("content").asText()).collect(Collectors.joining("\n"));
        assertThat(assistantText).contains("Wrote handoff-note.txt.").contains(ScriptedReplies.DEFAULT_PREFIX);
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("tool");
            assertThat(m.path("data").path("toolCallId").asText()).isNotEmpty();
        });
        assertThat(messages).extracting(m -> m.path("seq").asLong()).isSorted().doesNotHaveDuplicates();

        // The agent really wrote the file in the workspace cloned from the project's repository.
        Path workspace = stack.workspace(nodeReady.nodeId(), workspaceReady.payload(
            dev.handoff.contracts.events.WorkspaceReady.class).workspaceId());
        assertThat(workspace.resolve("auth.ts")).exists();
        assertThat(workspace.resolve("handoff-note.txt")).hasContent("The timeout is fixed.");
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndLeaveNothingBehind() throws Exception {
        String projectId = api.createProject("refusals", repositoryUrl);
        long tasksBefore = count("task");
        long sessionsBefore = count("chat_session");
        long projectsBefore = count("project");
        String tasks = "/api/projects/" + projectId + "/tasks";

        assertRefused(api.post(tasks, "{\"description\":\"  \"}"), 400, "description");
        assertRefused(api.post(tasks, "{}"), 400, "description");
        assertRefused(api.post(tasks, "{\"description\":\"" + "x".repeat(32_001) + "\"}"), 400, "description");
        assertRefused(api.post(tasks, "{\"description\":\"do it\",\"agent\":\"hal-9000\"}"), 400, "agent");
        assertRefused(api.post(tasks, "{\"description\":"), 400, null);
        assertRefused(api.post(tasks, "{\"description\":[1,2]}"), 400, "description");
        assertRefused(api.post("/api/projects/" + UUID.randomUUID() + "/tasks", "{\"description\":\"do it\"}"), 404,
            null);
        assertRefused(api.post("/api/projects", "{\"name\":\"x\",\"repositoryUrl\":\"not a url\"}"), 400,
            "repositoryUrl");
        assertRefused(api.post("/api/projects", "{\"repositoryUrl\":\"https://github.com/a/b.git\"}"), 400, "name");
        assertRefused(api.post("/api/projects", "{\"name\":\"x\",\"repositoryUrl\":\"https://github.com/a/b.git\","
            + "\"defaultBranch\":\"../etc\"}"), 400, "defaultBranch");
        assertRefused(api.get("/api/sessions/" + UUID.randomUUID() + "/messages?after=abc"), 400, "after");
        assertRefused(api.get("/api/tasks/" + UUID.randomUUID()), 404, null);

        assertThat(count("task")).isEqualTo(tasksBefore);
        assertThat(count("chat_session")).isEqualTo(sessionsBefore);
        assertThat(count("project")).isEqualTo(projectsBefore);
    }

    private static void assertRefused(HandoffApi.Answer answer, int status, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.body().path("message").asText()).as(answer.toString()).isNotBlank();
        if (field != null) {
            assertThat(answer.body().path("field").asText()).as(answer.toString()).isEqualTo(field);
        }
    }

    private long count(String table) throws Exception {
        try (var connection = stack.postgres().connect("chat");
             var result = connection.createStatement().executeQuery("select count(*) from " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Envelope only(List<Recorded> records, String type) {
        List<Envelope> found = records.stream().map(Recorded::event).filter(e -> e.type().equals(type)).toList();
        assertThat(found).as("exactly one " + type).hasSize(1);
        return found.get(0);
    }

    private static Envelope causedBy(List<Recorded> records, String type, Envelope cause) {
        Envelope event = only(records, type);
        assertThat(event.causationId()).as(type + " caused by " + cause.type()).isEqualTo(cause.eventId());
        return event;
    }
}
