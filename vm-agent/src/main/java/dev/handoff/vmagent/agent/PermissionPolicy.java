package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/** How the node answers an agent's {@code session/request_permission}: pick the first option of this kind. */
public enum PermissionPolicy {
    ALLOW_ONCE("allow_once"),
    ALLOW_ALWAYS("allow_always"),
    REJECT_ONCE("reject_once");

    private final String optionKind;

    PermissionPolicy(String optionKind) {
        this.optionKind = optionKind;
    }

    public String optionKind() {
        return optionKind;
    }

    /** @throws IllegalArgumentException for a name that is not a policy */
    public static PermissionPolicy fromName(String name) {
        return Arrays.stream(values()).filter(p -> p.optionKind.equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown permissionPolicy '" + name
                + "'; expected one of allow_once, allow_always, reject_once"));
    }

    /**
     * @param options the request's {@code options} array
     * @return the optionId of the first option of this policy's kind, else of the first option; null when there
     *     are no options
     */
    public String chooseOptionId(JsonNode options) {
        for (JsonNode option : options) {
            if (optionKind.equals(option.path("kind").asText())) {
                return option.path("optionId").textValue();
            }
        }
        return options.size() > 0 ? options.get(0).path("optionId").textValue() : null;
    }
}
