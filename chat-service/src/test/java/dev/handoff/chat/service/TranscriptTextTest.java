package dev.handoff.chat.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TranscriptTextTest {

    @Test
    void textOfContentBlocks() throws Exception {
        assertThat(TranscriptService.text(json("{\"type\":\"text\",\"text\":\"Hello\"}"))).isEqualTo("Hello");
        assertThat(TranscriptService.text(json("{\"type\":\"image\",\"data\":\"...\"}"))).isEqualTo("[image]");
        assertThat(TranscriptService.text(Json.MAPPER.missingNode())).isEmpty();
    }

    @Test
    void planAsChecklist() throws Exception {
        JsonNode plan = json("{\"sessionUpdate\":\"plan\",\"entries\":["
            + "{\"content\":\"Find the timeout\",\"status\":\"completed\",\"priority\":\"high\"},"
            + "{\"content\":\"Fix it\",\"status\":\"in_progress\",\"priority\":\"high\"}]}");
        assertThat(TranscriptService.planText(plan)).isEqualTo("[x] Find the timeout\n[ ] Fix it");
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }
}
