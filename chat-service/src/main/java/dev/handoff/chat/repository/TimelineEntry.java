package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;
import java.util.UUID;

/** One lifecycle step of a task as shown to the user. */
@Entity
@Table(name = "task_timeline",
    uniqueConstraints = @UniqueConstraint(name = "uq_task_timeline_event", columnNames = "eventId"),
    indexes = @Index(name = "ix_task_timeline_task", columnList = "taskId"))
public class TimelineEntry {

    @Id
    @GeneratedValue
    public Long id;

    @Column(nullable = false)
    public String taskId;

    @Column(nullable = false)
    public String status;

    /** The event that caused the step (TaskCreated, NodeReady, ...). */
    @Column(nullable = false)
    public String eventType;

    @Column(nullable = false)
    public UUID eventId;

    /** The node the step happened on, when the event names one. */
    public String nodeId;

    @Column(columnDefinition = "text")
    public String detail;

    @Column(nullable = false)
    public Instant at;
}
