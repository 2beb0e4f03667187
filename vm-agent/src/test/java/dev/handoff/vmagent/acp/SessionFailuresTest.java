package dev.handoff.vmagent.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The Claude Code ACP adapter's session failures, as it sent them against a closed port (recorded lines). */
class SessionFailuresTest {

    private static final String RETRYING = """
        {"sessionUpdate":"session_info_update","_meta":{"jetbrains":{"air":{"version":1,"sessionFailure":{
         "id":"s1:session-error:e1:2","revision":1,"category":"connection","severity":"warning",
         "title":"Reconnecting to Claude, attempt 2 of 10.","actions":[]}}}}}""";
    private static final String GAVE_UP = """
        {"stopReason":"end_turn","usage":{"inputTokens":0,"outputTokens":0},"_meta":{"jetbrains":{"air":{"version":1,
         "sessionFailure":{"id":"t1:error","revision":1,"category":"service","severity":"error",
         "title":"API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)",
         "actions":["retry"]}}}}}""";

    @Test
    void aRetryIsAWarningWithTheAdaptersTitle() throws Exception {
        SessionFailures.Failure failure = SessionFailures.in(Json.MAPPER.readTree(RETRYING)).orElseThrow();

        assertThat(failure.isError()).isFalse();
        assertThat(failure.category()).isEqualTo("connection");
        assertThat(failure.title()).isEqualTo("Reconnecting to Claude, attempt 2 of 10.");
        assertThat(SessionFailures.in(Json.MAPPER.readTree("{\"sessionUpdate\":\"agent_message_chunk\"}"))).isEmpty();
    }

    @Test
    void aPromptResultThatGaveUpFailsTheTurnWithTheReason() throws Exception {
        JsonNode result = Json.MAPPER.readTree(GAVE_UP);

        assertThatThrownBy(() -> AcpClient.stopReasonOrFailure(result)).isInstanceOf(CompletionException.class)
            .cause().isInstanceOf(JsonRpcException.class)
            .hasMessage("API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)");
        assertThat(AcpClient.stopReasonOrFailure(Json.MAPPER.readTree("{\"stopReason\":\"end_turn\"}")))
            .isEqualTo("end_turn");
    }

    @Test
    void initializeAsksForSessionFailures() {
        assertThat(SessionFailures.capabilityMeta().path("jetbrains").path("air").path("capabilities").get(0)
            .asText()).isEqualTo("sessionFailure");
    }
}
