package dev.handoff.chat.rest;

import dev.handoff.contracts.vocabulary.NodeSize;
import dev.handoff.contracts.vocabulary.PermissionPolicy;
import dev.handoff.contracts.vocabulary.TaskStatus;

import java.util.Arrays;
import java.util.List;

/**
 * Handoff's shared vocabulary as the web page reads it ({@code GET /api/vocabulary}): the task statuses with what
 * each means, the node sizes and permission policies a project may choose, each with its wire name and a label.
 * Declared in contracts ({@code dev.handoff.contracts.vocabulary}); nothing here adds to it.
 */
public record VocabularyView(List<Status> taskStatuses, List<Choice> nodeSizes, List<Choice> permissionPolicies,
                             String defaultNodeSize, String defaultPermissionPolicy) {

    /**
     * A task status. {@code waitingLabel}: set on the first turn's steps (in order), what the user waits for until
     * the task gets there; {@code terminal}: over; {@code inFlight}: something is under way (not over, not idle
     * between turns); {@code cancellable}: a cancel may be asked for (not over, not being cancelled);
     * {@code setback}: shown as gone wrong.
     */
    public record Status(String name, String label, String waitingLabel, boolean terminal, boolean inFlight,
                         boolean cancellable, boolean setback) {
    }

    public record Choice(String name, String label) {
    }

    public static VocabularyView of() {
        return new VocabularyView(
            Arrays.stream(TaskStatus.values()).map(s -> new Status(s.wireName(), s.label(), s.waitingLabel(),
                s.isTerminal(), s.isInFlight(), s.isCancellable(), s.isSetback())).toList(),
            Arrays.stream(NodeSize.values()).map(s -> new Choice(s.wireName(), s.label())).toList(),
            Arrays.stream(PermissionPolicy.values()).map(p -> new Choice(p.wireName(), p.label())).toList(),
            NodeSize.DEFAULT.wireName(), PermissionPolicy.DEFAULT.wireName());
    }
}
