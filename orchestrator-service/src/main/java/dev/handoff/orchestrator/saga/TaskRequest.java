package dev.handoff.orchestrator.saga;

/**
 * What the task asks for, set once from its TaskCreated and never changed by the saga. {@code permissionPolicy} is
 * the project's ({@code allow}, {@code ask}; null = allow); {@code ownerId} is the task's owner and {@code nodeSize}
 * the node size it asks for, both for a node requested again.
 */
public record TaskRequest(String agent, String repositoryUrl, String branch, String description,
                          String permissionPolicy, String ownerId, String nodeSize) {
}
