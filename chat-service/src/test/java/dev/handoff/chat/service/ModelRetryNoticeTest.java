package dev.handoff.chat.service;

import dev.handoff.contracts.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelRetryNoticeTest {

    @Test
    void aRetryWarningOfTheClaudeAdapterBecomesAnExplainedLine() throws Exception {
        var update = Json.MAPPER.readTree("""
            {"sessionUpdate":"session_info_update","_meta":{"jetbrains":{"air":{"version":1,"sessionFailure":{
             "id":"s:session-error:e:2","revision":1,"category":"connection","severity":"warning",
             "title":"Reconnecting to Claude, attempt 2 of 10.","actions":[]}}}}}""");

        assertThat(ModelRetryNotice.of(update)).contains("The agent is retrying the model: Reconnecting to Claude, "
            + "attempt 2 of 10. Check the model endpoint and key in Settings if this goes on.");
    }

    @Test
    void otherSessionInfoIsNoRetry() throws Exception {
        assertThat(ModelRetryNotice.of(Json.MAPPER.readTree("{\"sessionUpdate\":\"session_info_update\","
            + "\"title\":\"Fix the bug\"}"))).isEmpty();
        assertThat(ModelRetryNotice.of(Json.MAPPER.readTree("{\"_meta\":{\"jetbrains\":{\"air\":{\"sessionFailure\":"
            + "{\"severity\":\"error\",\"title\":\"API Error\"}}}}}"))).isEmpty();
    }
}
