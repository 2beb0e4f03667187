package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * How far a task's agent output has been folded into its chat: output at or below {@code lastSequence} of the
 * same agent session is a duplicate. Kept apart from {@link Task} so that output and status updates, which
 * arrive on different topics, never overwrite each other's columns.
 */
@Entity
@Table(name = "agent_stream")
public class AgentStream {

    @Id
    public String taskId;

    @Column(nullable = false)
    public String agentSessionId;

    @Column(nullable = false)
    public long lastSequence;
}
