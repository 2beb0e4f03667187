package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The user's view of a task: what was asked, and the status the orchestrator last reported. */
@Entity
@Table(name = "task")
public class Task {

    @Id
    public String id;

    @Column(nullable = false)
    public String projectId;

    @Column(nullable = false)
    public String sessionId;

    @Column(nullable = false)
    public String agent;

    @Column(nullable = false)
    public String status;

    public String stopReason;

    @Column(columnDefinition = "text")
    public String failureReason;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;
}
