package dev.handoff.orchestrator.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.vocabulary.TaskStatus;
import dev.handoff.orchestrator.saga.Conversation;
import dev.handoff.orchestrator.saga.TaskOutcome;
import dev.handoff.orchestrator.saga.Placement;
import dev.handoff.orchestrator.saga.SagaState;
import dev.handoff.orchestrator.saga.StepRetry;
import dev.handoff.orchestrator.saga.TaskRequest;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The persisted saga state of one task. */
@Entity
@Table(name = "saga_task")
public class TaskRecord {

    @Id
    public String id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public TaskStatus status;

    public String agent;
    @Column(length = 2048)
    public String repositoryUrl;
    public String branch;
    @Column(columnDefinition = "text")
    public String description;
    public String nodeId;
    public String workspaceId;
    public String deliveryId;
    public String agentSessionId;
    public String stopReason;
    @Column(columnDefinition = "text")
    public String failureReason;
    public Instant createdAt;
    public Instant updatedAt;
    /** When the task entered its current status; deadlines count from here. */
    public Instant statusSince;
    /** When the agent last wrote output; null until its first. */
    public Instant lastOutputAt;
    /** The last event applied to the task, the cause of what a deadline sends. */
    public UUID lastEventId;
    public String traceparent;
    /** The project's permission policy: allow (also when null) or ask. */
    public String permissionPolicy;
    /** The follow-up prompt last sent to the node. */
    public String promptId;
    /** The agent's last output sequence when its last turn ended; a restarted agent numbers on from it. */
    @Column(nullable = false, columnDefinition = "bigint default 0")
    public long lastSequence;

    /** The task's owner, for a node requested again. */
    public String ownerId;
    /** The owner is an operator (null: not, or a task stored before the flag), for a node requested again. */
    public Boolean ownerOperator;
    /** The node size the task asks for (small, medium, large; null: small), for a node requested again. */
    public String nodeSize;
    /** The attempt of the current step after a transient failure; 0 while its first attempt runs. */
    @Column(nullable = false, columnDefinition = "integer default 0")
    public int attempt;
    /** When the current step's command is due to be sent again; null when no retry is due. */
    public Instant retryAt;

    /** Nodes a command of the task could not reach, comma-separated; the next node request avoids them. */
    @Column(columnDefinition = "text")
    public String avoidedNodes;

    /** The ids of the task's permission requests the user answered last, a JSON array (a late request is ignored). */
    @Column(columnDefinition = "text")
    public String answeredPermissions;

    @Version
    public long version;

    public SagaState toState() {
        return new SagaState(id, status,
            new TaskRequest(agent, repositoryUrl, branch, description, permissionPolicy, ownerId, nodeSize,
                ownerOperator),
            new Placement(nodeId, workspaceId, deliveryId, agentSessionId, commaSeparated(avoidedNodes)),
            new Conversation(promptId, lastSequence, jsonArray(answeredPermissions)),
            new StepRetry(attempt, retryAt), new TaskOutcome(stopReason, failureReason));
    }

    /** Request ids are the node's and may hold any character, so they are kept as JSON, not joined. */
    private static List<String> jsonArray(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return List.of(Json.MAPPER.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("saga_task.answeredPermissions is not a JSON array of strings", e);
        }
    }

    private static List<String> commaSeparated(String joined) {
        return joined == null || joined.isBlank() ? List.of() : List.of(joined.split(","));
    }

    public void apply(SagaState state, Instant at) {
        id = state.taskId();
        if (state.status() != status) {
            statusSince = at;
        }
        status = state.status();
        TaskRequest request = state.request();
        agent = request.agent();
        repositoryUrl = request.repositoryUrl();
        branch = request.branch();
        description = request.description();
        permissionPolicy = request.permissionPolicy();
        ownerId = request.ownerId();
        ownerOperator = request.ownerOperator();
        nodeSize = request.nodeSize();
        Placement placement = state.placement();
        nodeId = placement.nodeId();
        workspaceId = placement.workspaceId();
        deliveryId = placement.deliveryId();
        agentSessionId = placement.agentSessionId();
        avoidedNodes = placement.avoidedNodes().isEmpty() ? null : String.join(",", placement.avoidedNodes());
        Conversation conversation = state.conversation();
        promptId = conversation.promptId();
        lastSequence = conversation.lastSequence();
        try {
            answeredPermissions = conversation.answeredPermissions().isEmpty() ? null
                : Json.MAPPER.writeValueAsString(conversation.answeredPermissions());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answered permission ids cannot be written as JSON", e);
        }
        attempt = state.retry().attempt();
        retryAt = state.retry().retryAt();
        stopReason = state.outcome().stopReason();
        failureReason = state.outcome().failureReason();
        if (createdAt == null) {
            createdAt = at;
        }
        updatedAt = at;
    }
}
