package dev.handoff.vmagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Json;
import org.junit.jupiter.api.Test;

class PermissionPolicyTest {

    private static final JsonNode OPTIONS = json("""
        [{"optionId":"a","kind":"allow_always"},{"optionId":"o","kind":"allow_once"},
         {"optionId":"r","kind":"reject_once"},{"optionId":"o2","kind":"allow_once"}]""");

    @Test
    void choosesTheFirstOptionOfThePolicysKind() {
        assertThat(PermissionPolicy.ALLOW_ONCE.chooseOptionId(OPTIONS)).isEqualTo("o");
        assertThat(PermissionPolicy.ALLOW_ALWAYS.chooseOptionId(OPTIONS)).isEqualTo("a");
        assertThat(PermissionPolicy.REJECT_ONCE.chooseOptionId(OPTIONS)).isEqualTo("r");
    }

    @Test
    void fallsBackToTheFirstOptionThenToNone() {
        assertThat(PermissionPolicy.REJECT_ONCE.chooseOptionId(json("[{\"optionId\":\"x\",\"kind\":\"allow_once\"}]")))
            .isEqualTo("x");
        assertThat(PermissionPolicy.ALLOW_ONCE.chooseOptionId(json("[]"))).isNull();
    }

    @Test
    void namesAreTheAcpOptionKinds() {
        assertThat(PermissionPolicy.fromName("allow_always")).isEqualTo(PermissionPolicy.ALLOW_ALWAYS);
        assertThatIllegalArgumentException().isThrownBy(() -> PermissionPolicy.fromName("yolo"))
            .withMessageContaining("allow_once");
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
