package dev.handoff.chat.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** One conversation of a project; the task's description is its first user message. */
@Entity
@Table(name = "chat_session")
public class ChatSession {

    @Id
    public String id;

    @Column(nullable = false)
    public String projectId;

    @Column(nullable = false)
    public String taskId;

    @Column(nullable = false, length = 200)
    public String topic;

    /** Sequence number of the newest message; the next message gets the one after. */
    @Column(nullable = false)
    public long lastMessageSeq;

    /**
     * The newest message revision in the session: every message created or changed takes the next one
     * ({@link ChatMessage#changedIn}). The {@link Version} check on this row orders concurrent writers, so revisions
     * become visible in the order they were given and a reader that saw revision n has seen every one below it.
     */
    @Column(nullable = false, columnDefinition = "bigint not null default 0")
    public long lastRevision;

    @Column(nullable = false)
    public Instant createdAt;

    @Version
    public long version;

    /** The revision the next created or changed message takes. */
    public long nextRevision() {
        return ++lastRevision;
    }
}
