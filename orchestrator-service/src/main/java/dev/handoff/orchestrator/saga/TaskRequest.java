package dev.handoff.orchestrator.saga;

/**
 * What the task asks for, set once from its TaskCreated and never changed by the saga. {@code permissionPolicy} is
 * the project's ({@code allow}, {@code ask}; null = allow); {@code ownerId} is the task's owner and {@code nodeSize}
 * the node size it asks for, both for a node requested again; {@code ownerOperator} (null = false) whether the
 * owner is an operator, carried into every NodeRequested (the local provider starts nodes only for operators).
 */
public record TaskRequest(String agent, String repositoryUrl, String branch, String description,
                          String permissionPolicy, String ownerId, String nodeSize, Boolean ownerOperator) {

    /** Without the owner's operator flag (tasks stored before it existed). */
    public TaskRequest(String agent, String repositoryUrl, String branch, String description,
                       String permissionPolicy, String ownerId, String nodeSize) {
        this(agent, repositoryUrl, branch, description, permissionPolicy, ownerId, nodeSize, null);
    }
}
