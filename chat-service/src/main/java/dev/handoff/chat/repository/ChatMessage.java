package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;

/**
 * One message in a chat session. Assistant and thinking text is assembled from the agent's chunks;
 * tool calls and plans keep the agent's structured record as JSON in {@code data}.
 */
@Entity
@Table(name = "chat_message",
    uniqueConstraints = @UniqueConstraint(name = "uq_chat_message_session_seq", columnNames = {"sessionId", "seq"}),
    indexes = @Index(name = "ix_chat_message_tool", columnList = "sessionId, toolCallId"))
public class ChatMessage {

    @Id
    @GeneratedValue
    public Long id;

    @Column(nullable = false)
    public String sessionId;

    /** Position in the session, from 1. */
    @Column(nullable = false)
    public long seq;

    /** user, assistant, thinking, tool, plan, permission, system. */
    @Column(nullable = false, length = 16)
    public String role;

    @Column(columnDefinition = "text")
    public String content;

    /** Structured record (tool call, plan) as the agent sent it, merged with later updates. */
    @Column(columnDefinition = "text")
    public String data;

    public String toolCallId;

    /** A permission message's request id (the node's), by which the user's answer finds it. */
    public String permissionRequestId;

    public String agentSessionId;

    /** The agent's id for the message its chunks belong to, when it sends one. */
    public String agentMessageId;

    /** The last agent output sequence folded into this message. */
    public Long lastAgentSequence;

    /** False while agent chunks may still be appended. */
    @Column(nullable = false)
    public boolean complete;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;
}
