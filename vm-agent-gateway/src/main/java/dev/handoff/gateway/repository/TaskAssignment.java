package dev.handoff.gateway.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * Which node holds a task: the node its latest command was routed to. Only that node's reports on the task are
 * taken; a node the task moved away from is refused from then on.
 */
@Entity
@Table(name = "task_assignment")
public class TaskAssignment {

    @Id
    public String taskId;

    @Column(nullable = false)
    public String nodeId;

    /** The latest command of the task routed to {@link #nodeId}. */
    @Column(nullable = false, length = 36)
    public String commandId;

    public Instant assignedAt;

    @Version
    public long version;
}
