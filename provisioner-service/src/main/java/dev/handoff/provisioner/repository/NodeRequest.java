package dev.handoff.provisioner.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A task's NodeRequested, remembered until it is answered with NodeReady or NodeFailed. */
@Entity
@Table(name = "node_request", indexes = @Index(name = "node_request_node", columnList = "nodeId, answeredAt"))
public class NodeRequest {

    /** The NodeRequested event id. */
    @Id
    public UUID requestEventId;

    @Column(nullable = false)
    public String taskId;

    public String traceparent;

    /** The node chosen for it. */
    @Column(nullable = false)
    public String nodeId;

    @Column(nullable = false)
    public Instant requestedAt;

    /** When NodeReady or NodeFailed was sent; null while waiting. */
    public Instant answeredAt;

    /** Whether the answer was NodeReady (the task held the node from {@link #answeredAt}). */
    public Boolean granted;

    /** When the task let the node go (ended, or its request failed); null while it holds or waits for it. */
    public Instant releasedAt;
}
