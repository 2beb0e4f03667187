package dev.handoff.gateway.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A command the gateway routed to a node, written before the command's frame is sent: a node's report names the
 * command it answers, and is taken only when that command went to that node for that task. Stored, so every
 * gateway replica (and this one after a restart) judges the same.
 */
@Entity
@Table(name = "routed_command", indexes = @jakarta.persistence.Index(name = "routed_command_task",
    columnList = "taskId"))
public class RoutedCommand {

    /** The command event's id, which the node's reports carry as {@code commandId}. */
    @Id
    @Column(length = 36)
    public String commandId;

    @Column(nullable = false)
    public String taskId;

    @Column(nullable = false)
    public String nodeId;

    /** The command's event type, e.g. {@code AgentStartRequested}. */
    @Column(nullable = false)
    public String type;

    /** The command's trace context, carried on by the events made of its reports. */
    public String traceparent;

    public Instant routedAt;
}
