package dev.handoff.orchestrator.saga;

import java.util.ArrayList;
import java.util.List;

/**
 * The task's conversation with its agent after the first prompt: {@code promptId} is the follow-up prompt last sent
 * to the node, {@code lastSequence} the agent's last output sequence when its last turn ended, and
 * {@code answeredPermissions} the last permission requests the user answered, so a request read after its answer
 * does not wait again.
 */
public record Conversation(String promptId, long lastSequence, List<String> answeredPermissions) {

    /** How many answered permission request ids a task remembers (a late request is one of its last few). */
    static final int ANSWERED_PERMISSIONS_KEPT = 16;

    /** No follow-up sent, no turn ended, no permission answered. */
    public static final Conversation NEW = new Conversation(null, 0, List.of());

    public Conversation {
        answeredPermissions = answeredPermissions == null ? List.of() : List.copyOf(answeredPermissions);
    }

    Conversation withPrompt(String prompt) {
        return new Conversation(prompt, lastSequence, answeredPermissions);
    }

    Conversation withLastSequence(long sequence) {
        return new Conversation(promptId, sequence, answeredPermissions);
    }

    /** {@code requestId} answered last; only the last {@value #ANSWERED_PERMISSIONS_KEPT} answered ids are kept. */
    Conversation withPermissionAnswered(String requestId) {
        List<String> answered = new ArrayList<>(answeredPermissions);
        answered.remove(requestId);
        answered.add(requestId);
        if (answered.size() > ANSWERED_PERMISSIONS_KEPT) {
            answered = answered.subList(answered.size() - ANSWERED_PERMISSIONS_KEPT, answered.size());
        }
        return new Conversation(promptId, lastSequence, answered);
    }
}
