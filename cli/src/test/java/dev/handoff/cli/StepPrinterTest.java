package dev.handoff.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The task's steps as the CLI prints them on stderr: each timeline entry once, as the web timeline names it. */
class StepPrinterTest {

    private static final String QUEUED = "{\"status\":\"queued\",\"event\":\"TaskCreated\",\"at\":\"2026-12-02T10:00:00Z\"}";
    private static final String PROVISIONING =
        "{\"status\":\"provisioning_node\",\"event\":\"NodeRequested\",\"at\":\"2026-12-02T10:00:00.400Z\"}";
    private static final String NODE_READY = "{\"status\":\"creating_workspace\",\"event\":\"NodeReady\","
        + "\"nodeId\":\"node-1\",\"at\":\"2026-12-02T10:00:03.200Z\"}";
    private static final String RETRY = "{\"status\":\"creating_workspace\",\"event\":\"WorkspaceFailed\","
        + "\"detail\":\"clone failed; retrying in 5 seconds (attempt 2 of 3)\",\"at\":\"2026-12-02T10:00:04Z\"}";
    private static final String WORKSPACE_READY = "{\"status\":\"starting_agent\",\"event\":\"WorkspaceReady\","
        + "\"detail\":\"plain workspace\",\"at\":\"2026-12-02T10:00:10Z\"}";
    private static final String AGENT_STARTED =
        "{\"status\":\"running\",\"event\":\"AgentStarted\",\"at\":\"2026-12-02T10:00:12.500Z\"}";

    @Test
    void printsEachStepOnceAsItAppears() throws Exception {
        StringWriter err = new StringWriter();
        StepPrinter steps = new StepPrinter(new PrintWriter(err));

        steps.printNew(task(QUEUED, PROVISIONING));
        steps.printNew(task(QUEUED, PROVISIONING));
        assertThat(err.toString()).isEqualTo("[step] Task created  +0.0 s\n[step] Node requested  +0.4 s\n");

        steps.printNew(task(QUEUED, PROVISIONING, NODE_READY, RETRY, WORKSPACE_READY, AGENT_STARTED));
        assertThat(err.toString().lines()).containsExactly(
            "[step] Task created  +0.0 s",
            "[step] Node requested  +0.4 s",
            "[step] Node ready  +3.2 s  on node-1",
            "[step] creating workspace (WorkspaceFailed)  +4.0 s  clone failed; retrying in 5 seconds (attempt 2 of 3)",
            "[step] Workspace ready  +10.0 s  plain workspace",
            "[step] Agent started  +12.5 s");
    }

    @Test
    void aFollowUpPrintsOnlyTheStepsAfterIt() throws Exception {
        StringWriter err = new StringWriter();
        String turnEnded = "{\"status\":\"turn_ended\",\"event\":\"TurnEnded\",\"at\":\"2026-12-02T10:00:20Z\"}";
        StepPrinter steps = new StepPrinter(new PrintWriter(err))
            .startAfter(task(QUEUED, PROVISIONING, NODE_READY, WORKSPACE_READY, AGENT_STARTED, turnEnded));

        steps.printNew(task(QUEUED, PROVISIONING, NODE_READY, WORKSPACE_READY, AGENT_STARTED, turnEnded,
            "{\"status\":\"delivering_prompt\",\"event\":\"FollowUpRequested\",\"at\":\"2026-12-02T10:01:00Z\"}",
            "{\"status\":\"running\",\"event\":\"PromptDelivered\",\"at\":\"2026-12-02T10:01:00.300Z\"}"));

        assertThat(err.toString().lines()).containsExactly(
            "[step] Follow-up sent  +60.0 s",
            "[step] running (PromptDelivered)  +60.3 s");
    }

    private static JsonNode task(String... steps) throws Exception {
        return ApiClient.JSON.readTree("{\"status\":\"running\",\"timeline\":[" + String.join(",", steps) + "]}");
    }
}
