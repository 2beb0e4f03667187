package dev.handoff.orchestrator.repository;

import dev.handoff.contracts.vocabulary.TaskStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One recorded move of a task's saga, with the event that caused it. */
@Entity
@Table(name = "saga_transition", indexes = @Index(name = "saga_transition_task", columnList = "taskId"))
public class TaskTransition {

    @Id
    @GeneratedValue
    public Long id;

    @Column(nullable = false)
    public String taskId;

    @Enumerated(EnumType.STRING)
    @Column(length = 32)
    public TaskStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public TaskStatus toStatus;

    @Column(nullable = false)
    public UUID causeEventId;

    @Column(nullable = false)
    public String causeEventType;

    @Column(columnDefinition = "text")
    public String note;

    @Column(nullable = false)
    public Instant at;
}
